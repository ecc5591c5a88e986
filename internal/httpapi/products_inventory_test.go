package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestInventory: the §5 inventory bullets (inbound 3 → stock 3; outbound 1 → −1 without
// track_stock, 400 Insufficient stock. with it (S24); delete answers deleted: true), exact keys,
// location PATCH with read-only keys ignored, movement PATCH, timestamps in the business zone.
func TestInventory(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("PATCH", "/business/settings", map[string]any{"timezone": "America/Recife"}, w.owner), http.StatusOK)
		p := w.prodNew(w.member, "Caneta", nil)["id"].(string)
		inv := w.prodInventory(w.owner, p)

		r := e.do("GET", "/products/inventory/"+inv, nil, w.owner)
		want(t, r, http.StatusOK)
		o := bizObj(r, "inventory")
		bizWantKeys(t, o, invKeysOut...)
		if pr := o["product"].(map[string]any); pr["id"] != p || pr["name"] != "Caneta" || len(pr) != 2 ||
			o["quantity"] != float64(0) || o["reserved"] != float64(0) || o["location"] != nil {
			t.Fatalf("inventory %v", o)
		}

		// §5: inbound of 3 on a new product gives stock 3.
		r = w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 3, "unit_cost": "1.5",
			"description": "Compra", "date": "2001-01-01"})
		want(t, r, http.StatusCreated)
		m := bizObj(r, "transaction")
		bizWantKeys(t, m, invMovementKeysOut...)
		ref := m["inventory"].(map[string]any)
		if m["type"] != "inbound" || m["quantity"] != float64(3) || m["unit_cost"] != "1.50" || m["unit_price"] != "0.00" ||
			m["description"] != "Compra" || ref["id"] != inv || ref["product"] != "Caneta" || len(ref) != 2 {
			t.Fatalf("movement %v", m)
		}
		if d := m["date"].(string); !strings.HasSuffix(d, "-03:00") || strings.HasPrefix(d, "2001") {
			t.Fatalf("date %q: want now, in the business's zone", d)
		}
		if w.prodStock(t, p) != 3 {
			t.Fatal("§5: stock after inbound 3")
		}
		mid := m["id"].(string)

		// S24: a tracked product's stock never goes below 0; nothing is written.
		r = w.prodMove(w.owner, inv, map[string]any{"type": "outbound", "quantity": 4})
		bizWantField(t, r, "quantity", "Insufficient stock.")
		if w.prodStock(t, p) != 3 || bizCount(e.do("GET", "/products/inventory/"+inv+"/transactions", nil, w.owner)) != 1 {
			t.Fatal("a refused outbound wrote something")
		}
		r = w.prodMove(w.owner, inv, map[string]any{"type": "outbound", "quantity": "3"})
		want(t, r, http.StatusCreated)
		out := bizObj(r, "transaction")
		if out["quantity"] != float64(-3) || w.prodStock(t, p) != 0 {
			t.Fatalf("outbound %v", out)
		}

		// §5 (Bursar: only without track_stock): outbound of 1 on a new product gives −1.
		u := w.prodNew(w.member, "Serviço", map[string]any{"track_stock": false})["id"].(string)
		uinv := w.prodInventory(w.owner, u)
		want(t, w.prodMove(w.owner, uinv, map[string]any{"type": "outbound", "quantity": 1}), http.StatusCreated)
		if w.prodStock(t, u) != -1 {
			t.Fatal("§5: untracked outbound")
		}
		t2 := w.prodNew(w.member, "Borracha", nil)["id"].(string)
		bizWantField(t, w.prodMove(w.owner, w.prodInventory(w.owner, t2), map[string]any{"type": "outbound", "quantity": 1}),
			"quantity", "Insufficient stock.")

		// Movement PATCH: the type's sign is kept (defect 21); type and inventory are not keys.
		r = e.do("PATCH", "/products/inventory/transactions/"+out["id"].(string), map[string]any{"quantity": 2,
			"description": nil, "date": "x"}, w.owner)
		want(t, r, http.StatusOK)
		if m := bizObj(r, "transaction"); m["quantity"] != float64(-2) || m["type"] != "outbound" || m["description"] != nil {
			t.Fatalf("patched %v", m)
		}
		if w.prodStock(t, p) != 1 {
			t.Fatal("stock after patch")
		}
		bizWantInvalid(t, e.do("PATCH", "/products/inventory/transactions/"+mid, map[string]any{"type": "outbound"}, w.owner), "type")
		bizWantInvalid(t, e.do("PATCH", "/products/inventory/transactions/"+mid, map[string]any{"inventory": uinv}, w.owner), "inventory")
		bizWantField(t, e.do("PATCH", "/products/inventory/transactions/"+mid, map[string]any{"quantity": 1}, w.owner),
			"quantity", "Insufficient stock.")
		r = e.do("GET", "/products/inventory/transactions/"+mid, nil, w.owner)
		if m := bizObj(r, "transaction"); m["quantity"] != float64(3) {
			t.Fatalf("GET movement %v", m)
		}

		// Inventory PATCH: location only; quantity, reserved and product are read-only.
		r = e.do("PATCH", "/products/inventory/"+inv, map[string]any{"location": " Prateleira A ", "quantity": 99,
			"reserved": 5, "product": u}, w.owner)
		want(t, r, http.StatusOK)
		if o := bizObj(r, "inventory"); o["location"] != "Prateleira A" || o["quantity"] != float64(1) ||
			o["reserved"] != float64(0) || o["product"].(map[string]any)["id"] != p {
			t.Fatalf("patched inventory %v", o)
		}
		bizWantField(t, e.do("PATCH", "/products/inventory/"+inv, map[string]any{"location": strings.Repeat("x", 151)}, w.owner),
			"location", "Ensure this field has no more than 150 characters.")
		bizWantInvalid(t, e.do("PATCH", "/products/inventory/"+inv, map[string]any{"stock": 1}, w.owner), "stock")

		// §5: deleting a movement answers deleted: true; stock follows.
		oid := out["id"].(string)
		r = e.do("DELETE", "/products/inventory/transactions/"+oid, nil, w.owner)
		want(t, r, http.StatusOK)
		if d := bizObj(r, "transaction"); len(d) != 2 || d["id"] != oid || d["deleted"] != true {
			t.Fatalf("delete answered %s", r.Body)
		}
		if w.prodStock(t, p) != 3 {
			t.Fatal("stock after delete")
		}
		bizWantError(t, e.do("DELETE", "/products/inventory/transactions/"+oid, nil, w.owner), 404, "Transaction not found.")

		// Lists: every inventory of the business, in creation order; movements of one inventory.
		invs := bizResults(t, e.do("GET", "/products/inventory", nil, w.owner), "inventory")
		if len(invs) != 3 || invs[0]["id"] != inv {
			t.Fatalf("inventories %v", invs)
		}
		ms := bizResults(t, e.do("GET", "/products/inventory/"+inv+"/transactions", nil, w.owner), "transaction")
		if len(ms) != 1 || ms[0]["id"] != mid {
			t.Fatalf("movements %v", ms)
		}
	})
}

// TestInventoryInitialStock: a product created with stock gets an initial inbound movement at
// its cost price, or 0 without one (§2.7; defect 21: the predecessor crashed).
func TestInventoryInitialStock(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		for _, tc := range []struct {
			body     map[string]any
			unitCost string
		}{
			{map[string]any{"stock": 5, "cost_price": "2.50"}, "2.50"},
			{map[string]any{"stock": 5}, "0.00"},
			{map[string]any{"stock": 5, "track_stock": false}, "0.00"},
		} {
			p := w.prodNew(w.member, "P "+bizUniq(), tc.body)
			if p["stock"] != float64(5) {
				t.Fatalf("created %v", p)
			}
			inv := w.prodInventory(w.owner, p["id"].(string))
			ms := bizResults(t, w.e.do("GET", "/products/inventory/"+inv+"/transactions", nil, w.owner), "transaction")
			if len(ms) != 1 || ms[0]["type"] != "inbound" || ms[0]["quantity"] != float64(5) ||
				ms[0]["unit_cost"] != tc.unitCost || ms[0]["description"] != "Initial inbound quantity." {
				t.Fatalf("%v: movements %v", tc.body, ms)
			}
		}
		for _, v := range []any{0, nil} {
			p := w.prodNew(w.member, "Z "+bizUniq(), map[string]any{"stock": v})
			inv := w.prodInventory(w.owner, p["id"].(string))
			if n := bizCount(w.e.do("GET", "/products/inventory/"+inv+"/transactions", nil, w.owner)); p["stock"] != float64(0) || n != 0 {
				t.Fatalf("stock %v: %v, %d movements", v, p, n)
			}
		}
	})
}

// TestInventoryMovementValidation: missing or zero quantity is HTTP 400 with body status 400
// (defect 24), type must be a choice, prices exact and not negative, unknown keys 400.
func TestInventoryMovementValidation(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		inv := w.prodInventory(w.owner, w.prodNew(w.owner, "Caneta", nil)["id"].(string))
		for _, body := range []map[string]any{{"type": "inbound"}, {"type": "inbound", "quantity": 0},
			{"type": "inbound", "quantity": nil}, {"quantity": "0"}} {
			bizWantError(t, w.prodMove(w.owner, inv, body), 400, "Inform a quantity.")
		}
		bizWantField(t, w.prodMove(w.owner, inv, map[string]any{"quantity": 1}), "type", "This field is required.")
		bizWantField(t, w.prodMove(w.owner, inv, map[string]any{"type": "in", "quantity": 1}), "type", `"in" is not a valid choice.`)
		bizWantField(t, w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 1.5}), "quantity",
			"A valid integer is required.")
		bizWantField(t, w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 1, "unit_price": "0.001"}),
			"unit_price", "Ensure that there are no more than 2 decimal places.")
		bizWantField(t, w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 1, "unit_cost": "-1"}),
			"unit_cost", "Ensure this value is greater than or equal to 0.")
		bizWantInvalid(t, w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 1, "inventory": inv}), "inventory")
		bizWantInvalid(t, w.e.do("POST", "/products/inventory/"+inv+"/transactions", "", w.owner))
		want(t, w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 1, "unit_price": nil}), http.StatusCreated)
	})
}
