package httpapi

import (
	"net/http"
	"strconv"
	"testing"
)

// Keys of the product family's objects: exactly the predecessor's (S33).
var (
	prodKeysOut = []string{"id", "name", "sku", "barcode", "brand", "category", "supplier", "cost_price",
		"retail_price", "discounted_price", "unit", "stock", "is_available", "track_stock", "is_active"}
	prodCategoryKeysOut = []string{"id", "name", "is_active", "parent"}
	prodCostKeysOut     = []string{"id", "effective_date", "quantity", "cost_price", "average_cost", "retail_price",
		"markup", "product"}
	invKeysOut         = []string{"id", "quantity", "reserved", "location", "product"}
	invMovementKeysOut = []string{"id", "type", "date", "quantity", "unit_cost", "unit_price", "description", "inventory"}
)

// prodFake is a well-formed id that names nothing.
const prodFake = "01JYM6QVGZBSTGMECFQV138WAA"

// prodNew creates a product (name plus body) and returns it.
func (w *bizWorld) prodNew(token, name string, body map[string]any) map[string]any {
	w.e.t.Helper()
	b := map[string]any{"name": name}
	for k, v := range body {
		b[k] = v
	}
	r := w.e.do("POST", "/products", b, token)
	want(w.e.t, r, http.StatusCreated)
	return bizObj(r, "product")
}

// prodSupplier creates a supplier and returns its id.
func (w *bizWorld) prodSupplier(token, name string) string {
	w.e.t.Helper()
	r := w.e.do("POST", "/contacts/suppliers", map[string]any{"legal_name": name}, token)
	want(w.e.t, r, http.StatusCreated)
	return bizObj(r, "supplier")["id"].(string)
}

// prodCategory creates a product category (under parent when not "") and returns its id.
func (w *bizWorld) prodCategory(token, name, parent string) string {
	w.e.t.Helper()
	body := map[string]any{"name": name}
	if parent != "" {
		body["parent"] = parent
	}
	r := w.e.do("POST", "/products/categories", body, token)
	want(w.e.t, r, http.StatusCreated)
	return bizObj(r, "category")["id"].(string)
}

// prodInventory returns the id of a product's inventory, as its owner lists them.
func (w *bizWorld) prodInventory(ownerToken, productID string) string {
	w.e.t.Helper()
	for page := 1; ; page++ {
		r := w.e.do("GET", "/products/inventory?page="+strconv.Itoa(page), nil, ownerToken)
		for _, inv := range bizResults(w.e.t, r, "inventory") {
			if inv["product"].(map[string]any)["id"] == productID {
				return inv["id"].(string)
			}
		}
		if r.JSON()["next"] == nil {
			w.e.t.Fatalf("no inventory for product %s", productID)
		}
	}
}

// prodStock returns a product's stock and fails unless its inventory's quantity and the sum
// of its movements agree (§4.3).
func (w *bizWorld) prodStock(t *testing.T, productID string) int {
	t.Helper()
	r := w.e.do("GET", "/products/"+productID, nil, w.owner)
	want(t, r, http.StatusOK)
	stock := int(bizObj(r, "product")["stock"].(float64))
	invID := w.prodInventory(w.owner, productID)
	r = w.e.do("GET", "/products/inventory/"+invID, nil, w.owner)
	want(t, r, http.StatusOK)
	qty := int(bizObj(r, "inventory")["quantity"].(float64))
	sum := 0
	for page := 1; ; page++ {
		r = w.e.do("GET", "/products/inventory/"+invID+"/transactions?page="+strconv.Itoa(page), nil, w.owner)
		for _, m := range bizResults(t, r, "transaction") {
			sum += int(m["quantity"].(float64))
		}
		if r.JSON()["next"] == nil {
			break
		}
	}
	if stock != qty || qty != sum {
		t.Fatalf("product stock %d, inventory quantity %d, Σ movements %d", stock, qty, sum)
	}
	return stock
}

// prodMove posts a movement on an inventory.
func (w *bizWorld) prodMove(token, inventoryID string, body map[string]any) *resp {
	w.e.t.Helper()
	return w.e.do("POST", "/products/inventory/"+inventoryID+"/transactions", body, token)
}
