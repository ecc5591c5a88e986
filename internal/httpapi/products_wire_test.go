package httpapi

import (
	"testing"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// testProductServices wires products and inventory for tests.
func testProductServices(t testing.TB, db *sqlstore.DB, a *auth.Service) ProductServices {
	return ProductServices{Inventory: inventory.NewService(db, clock.Real{})}
}
