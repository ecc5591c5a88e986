package main

import (
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/config"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/httpapi"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// billingServices wires payables and receivables; settles go through finance's transactions.
func billingServices(db *sqlstore.DB, clk clock.Clock, cfg *config.Config, a *auth.Service) httpapi.BillingServices {
	return httpapi.BillingServices{Billing: billing.NewService(db, clk), Finance: finance.NewService(db, clk)}
}
