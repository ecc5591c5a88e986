package httpapi

import (
	"testing"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// testBillingServices wires payables and receivables for tests.
func testBillingServices(t testing.TB, db *sqlstore.DB, a *auth.Service) BillingServices {
	return BillingServices{Billing: billing.NewService(db, clock.Real{}), Finance: finance.NewService(db, clock.Real{})}
}
