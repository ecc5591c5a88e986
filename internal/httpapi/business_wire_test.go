package httpapi

import (
	"testing"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// testBusinessServices wires the Business family for tests.
func testBusinessServices(t *testing.T, db *sqlstore.DB, a *auth.Service) BusinessServices {
	return BusinessServices{}
}
