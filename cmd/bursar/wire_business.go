package main

import (
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/config"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/httpapi"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// businessServices wires the Business family's services; new businesses default to the
// server's time zone (conventions S26).
func businessServices(db *sqlstore.DB, clk clock.Clock, cfg *config.Config, a *auth.Service) httpapi.BusinessServices {
	return httpapi.BusinessServices{
		Business: business.NewService(db, a, clk, cfg.Timezone),
		Finance:  finance.NewService(db, clk),
	}
}
