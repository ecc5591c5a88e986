package httpapi

import (
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// testBusinessServices wires the Business family for tests, with the server zone UTC.
func testBusinessServices(t testing.TB, db *sqlstore.DB, a *auth.Service) BusinessServices {
	return BusinessServices{
		Business: business.NewService(db, a, clock.Real{}, time.UTC),
		Finance:  finance.NewService(db, clock.Real{}),
	}
}
