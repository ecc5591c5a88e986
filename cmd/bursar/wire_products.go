package main

import (
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/config"
	"github.com/bursar/bursar/internal/httpapi"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// productServices wires products and inventory.
func productServices(db *sqlstore.DB, clk clock.Clock, cfg *config.Config, a *auth.Service) httpapi.ProductServices {
	return httpapi.ProductServices{Inventory: inventory.NewService(db, clk)}
}
