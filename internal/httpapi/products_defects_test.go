package httpapi

import (
	"fmt"
	"net/http"
	"testing"
)

// TestProductDefects has one case per business-api.md §6 defect that touches products,
// product categories, cost history or inventory. (Defect 9, lost stock updates under
// concurrency, is TestProductConcurrentOutbound; defect 33, 405 before authentication, is in
// TestProductRoutesPrecedence.)
func TestProductDefects(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		noSuch := func(id string) string { return fmt.Sprintf("Invalid pk %q - object does not exist.", id) }

		t.Run("1 search is scoped to the caller's business", func(t *testing.T) {
			w.prodNew(w.other, "Segredo Alheio", map[string]any{"sku": "SEGREDO", "barcode": "SEGREDO-BAR"})
			for _, q := range []string{"segredo", "SEGREDO", "SEGREDO-BAR"} {
				if n := bizCount(e.do("GET", "/products?search="+q, nil, w.owner)); n != 0 {
					t.Fatalf("search %q finds %d products of another business", q, n)
				}
			}
		})

		t.Run("2 references are checked against the caller's business", func(t *testing.T) {
			theirCat := w.prodCategory(w.other, "Deles "+bizUniq(), "")
			theirSup := w.prodSupplier(w.other, "Fornecedor Deles")
			customer := bizObj(e.do("POST", "/contacts/customers", map[string]any{"name": "Cliente"}, w.owner), "customer")["id"].(string)
			bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "category": theirCat}, w.owner), "category", noSuch(theirCat))
			bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "supplier": theirSup}, w.owner), "supplier", noSuch(theirSup))
			bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "supplier": []string{customer}}, w.owner), "supplier", noSuch(customer))
			bizWantField(t, e.do("POST", "/products/categories", map[string]any{"name": "x", "parent": theirCat}, w.owner), "parent", noSuch(theirCat))
			// A movement's inventory cannot be changed at all, to another business's or ours.
			mine := w.prodInventory(w.owner, w.prodNew(w.owner, "Meu", map[string]any{"stock": 1})["id"].(string))
			mov := bizResults(t, e.do("GET", "/products/inventory/"+mine+"/transactions", nil, w.owner), "transaction")[0]["id"].(string)
			theirs := w.prodInventory(w.other, w.prodNew(w.other, "Deles", nil)["id"].(string))
			bizWantInvalid(t, e.do("PATCH", "/products/inventory/transactions/"+mov, map[string]any{"inventory": theirs}, w.owner), "inventory")
			want(t, w.prodMove(w.owner, theirs, map[string]any{"type": "inbound", "quantity": 1}), http.StatusNotFound)
		})

		t.Run("3 business is not writable", func(t *testing.T) {
			p := w.prodNew(w.owner, "Meu produto", map[string]any{"business": w.otherBizID})["id"].(string)
			want(t, e.do("PATCH", "/products/"+p, map[string]any{"business": w.otherBizID}, w.owner), http.StatusOK)
			want(t, e.do("GET", "/products/"+p, nil, w.owner), http.StatusOK)
			want(t, e.do("GET", "/products/"+p, nil, w.other), http.StatusNotFound)
		})

		t.Run("6 members manage products but not inventory", func(t *testing.T) {
			p := w.prodNew(w.member, "Do membro", nil)["id"].(string)
			bizWantError(t, e.do("GET", "/products/inventory", nil, w.member), 403, "You do not have permission to perform this action.")
			inv := w.prodInventory(w.owner, p)
			want(t, w.prodMove(w.member, inv, map[string]any{"type": "inbound", "quantity": 1}), http.StatusForbidden)
		})

		t.Run("8 a deactivated product takes no new movement", func(t *testing.T) {
			p := w.prodNew(w.owner, "Descontinuado", map[string]any{"stock": 2})["id"].(string)
			want(t, e.do("DELETE", "/products/"+p, nil, w.owner), http.StatusOK)
			bizWantField(t, w.prodMove(w.owner, w.prodInventory(w.owner, p), map[string]any{"type": "outbound", "quantity": 1}),
				"product", "This product is inactive.")
			bizWantField(t, w.postCost(w.owner, p, nil), "product", "This product is inactive.")
			if w.prodStock(t, p) != 2 {
				t.Fatal("stock moved")
			}
		})

		t.Run("11 average cost is exact decimal arithmetic", func(t *testing.T) {
			// (1.00 + 1.01) / 2 = 1.005: binary floating point gives 1.00499…, which rounds to 1.00.
			p := w.prodNew(w.owner, "Exato", nil)["id"].(string)
			want(t, w.postCost(w.owner, p, map[string]any{"cost_price": "1.00"}), http.StatusCreated)
			r := w.postCost(w.owner, p, map[string]any{"cost_price": "1.01"})
			if c := bizObj(r, "cost"); c["average_cost"] != "1.01" {
				t.Fatalf("average %v, want 1.01", c["average_cost"])
			}
			// Markup: (1.15 − 1.00) / 1.00 × 100 = 15.00 exactly (float: 14.999…).
			r = w.postCost(w.owner, p, map[string]any{"cost_price": "1.00", "retail_price": "1.15"})
			if c := bizObj(r, "cost"); c["markup"] != "15.00" {
				t.Fatalf("markup %v, want 15.00", c["markup"])
			}
		})

		t.Run("21 stock moves only through movements that keep their sign", func(t *testing.T) {
			p := w.prodNew(w.owner, "Sinal", map[string]any{"stock": 5})["id"].(string) // no cost_price: no crash
			inv := w.prodInventory(w.owner, p)
			r := w.prodMove(w.owner, inv, map[string]any{"type": "outbound", "quantity": 2})
			out := bizObj(r, "transaction")["id"].(string)
			r = e.do("PATCH", "/products/inventory/transactions/"+out, map[string]any{"quantity": 4}, w.owner)
			if m := bizObj(r, "transaction"); m["quantity"] != float64(-4) {
				t.Fatalf("an outbound became %v", m["quantity"])
			}
			bizWantError(t, e.do("PATCH", "/products/"+p, map[string]any{"stock": 0}, w.owner), 400,
				"Adjust stock quantity through an inventory transaction.")
			bizWantField(t, w.prodMove(w.owner, inv, map[string]any{"type": "outbound", "quantity": 2}), "quantity", "Insufficient stock.")
			if w.prodStock(t, p) != 1 {
				t.Fatal("stock")
			}
		})

		t.Run("23 names and skus are unique per business", func(t *testing.T) {
			w.prodCategory(w.owner, "Comum", "")
			w.prodCategory(w.other, "Comum", "")
			w.prodNew(w.owner, "a", map[string]any{"sku": "COMUM"})
			w.prodNew(w.other, "b", map[string]any{"sku": "COMUM"})
			bizWantField(t, e.do("POST", "/products", map[string]any{"name": "c", "sku": "COMUM"}, w.owner), "sku",
				"product with this sku already exists.")
			bizWantField(t, e.do("POST", "/products/categories", map[string]any{"name": "Comum"}, w.other), "name",
				"product category with this name already exists.")
		})

		t.Run("24 Inform a quantity. has body status 400", func(t *testing.T) {
			inv := w.prodInventory(w.owner, w.prodNew(w.owner, "Q", nil)["id"].(string))
			bizWantError(t, w.prodMove(w.owner, inv, map[string]any{"type": "inbound"}), 400, "Inform a quantity.")
		})
	})
}
