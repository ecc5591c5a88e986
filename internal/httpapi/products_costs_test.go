package httpapi

import (
	"net/http"
	"testing"
)

// postCost posts a cost entry and returns the answer.
func (w *bizWorld) postCost(token, productID string, body map[string]any) *resp {
	w.e.t.Helper()
	b := map[string]any{"quantity": 1, "effective_date": "2025-06-01", "cost_price": "1", "retail_price": "2"}
	for k, v := range body {
		b[k] = v
	}
	return w.e.do("POST", "/products/"+productID+"/costs", b, token)
}

// TestProductCosts: the §5 cost bullets (markup 36.72 computed, 30 sent kept, average 33.00 of
// three entries), exact keys, PATCH without recomputation, hard delete, 404 product first.
func TestProductCosts(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		p := w.prodNew(w.owner, "Caneta", map[string]any{"cost_price": "9.99"})["id"].(string)

		r := w.postCost(w.member, p, map[string]any{"cost_price": 25.6, "retail_price": 35, "product": prodFake})
		want(t, r, http.StatusCreated)
		c := bizObj(r, "cost")
		bizWantKeys(t, c, prodCostKeysOut...)
		if c["markup"] != "36.72" || c["product"] != p || c["cost_price"] != "25.60" || c["retail_price"] != "35.00" ||
			c["average_cost"] != "25.60" || c["effective_date"] != "2025-06-01" || c["quantity"] != float64(1) {
			t.Fatalf("§5 markup: %v", c)
		}
		r = w.postCost(w.member, p, map[string]any{"cost_price": 25.6, "retail_price": 35, "markup": 30})
		if c := bizObj(r, "cost"); c["markup"] != "30.00" {
			t.Fatalf("§5 sent markup: %s", r.Body)
		}
		for _, v := range []any{"", nil, 0, "0.00"} { // empty, null, 0: computed (§2.9, S36)
			r = w.postCost(w.member, p, map[string]any{"cost_price": 25.6, "retail_price": 35, "markup": v, "average_cost": v})
			if c := bizObj(r, "cost"); c["markup"] != "36.72" || c["average_cost"] != "25.60" {
				t.Fatalf("markup %v: %s", v, r.Body)
			}
		}
		bizWantField(t, w.postCost(w.owner, p, map[string]any{"markup": "1000"}), "markup",
			"Ensure that there are no more than 3 digits before the decimal point.")
		bizWantField(t, w.postCost(w.owner, p, map[string]any{"retail_price": "123456789"}), "retail_price",
			"Ensure that there are no more than 8 digits before the decimal point.")
		r = w.postCost(w.owner, p, map[string]any{"cost_price": "1", "retail_price": "11"}) // 1000 % computed: null (S23)
		if c := bizObj(r, "cost"); c["markup"] != nil {
			t.Fatalf("computed markup of 1000 %%: %s", r.Body)
		}
		bizWantField(t, e.do("POST", "/products/"+p+"/costs", map[string]any{"quantity": 1}, w.owner), "effective_date",
			"This field is required.")
		for _, q := range []int{-1, 0} {
			bizWantField(t, w.postCost(w.owner, p, map[string]any{"quantity": q}), "quantity",
				"Ensure this value is greater than or equal to 1.")
		}
		bizWantInvalid(t, w.postCost(w.owner, p, map[string]any{"notes": "x"}), "notes")

		// §5: three entries of 53 at 25, 33, 41 → the third's average is 33.00.
		q := w.prodNew(w.owner, "Lápis", nil)["id"].(string)
		var third map[string]any
		for _, cost := range []string{"25", "33", "41"} {
			r = w.postCost(w.owner, q, map[string]any{"quantity": 53, "cost_price": cost, "retail_price": "50"})
			want(t, r, http.StatusCreated)
			third = bizObj(r, "cost")
		}
		if third["average_cost"] != "33.00" {
			t.Fatalf("§5 average: %v", third)
		}
		// The product's own cost price is not changed (§2.9).
		if pr := bizObj(e.do("GET", "/products/"+p, nil, w.owner), "product"); pr["cost_price"] != "9.99" {
			t.Fatalf("product %v", pr)
		}

		items := bizResults(t, e.do("GET", "/products/"+q+"/costs", nil, w.member), "cost")
		if len(items) != 3 || items[0]["cost_price"] != "25.00" || items[2]["id"] != third["id"] {
			t.Fatalf("list %v", items)
		}
		first := items[0]["id"].(string)
		r = e.do("PATCH", "/products/"+q+"/costs/"+first, map[string]any{"retail_price": "100", "quantity": 2}, w.member)
		want(t, r, http.StatusOK)
		if c := bizObj(r, "cost"); c["markup"] != "100.00" || c["retail_price"] != "100.00" || c["quantity"] != float64(2) {
			t.Fatalf("PATCH recomputed: %v", c)
		}
		r = e.do("PATCH", "/products/"+q+"/costs/"+first, map[string]any{"markup": nil}, w.member)
		if c := bizObj(r, "cost"); c["markup"] != "300.00" {
			t.Fatalf("PATCH markup null: %v", c)
		}
		bizWantError(t, e.do("GET", "/products/"+p+"/costs/"+first, nil, w.owner), 404, "Cost not found.")
		bizWantError(t, e.do("GET", "/products/"+q+"/costs/"+first, nil, w.other), 404, "Product not found.")

		r = e.do("DELETE", "/products/"+q+"/costs/"+first, nil, w.member)
		want(t, r, http.StatusOK)
		if d := bizObj(r, "cost"); len(d) != 2 || d["id"] != first || d["deleted"] != true {
			t.Fatalf("delete answered %s", r.Body)
		}
		bizWantError(t, e.do("DELETE", "/products/"+q+"/costs/"+first, nil, w.member), 404, "Cost not found.")
		if n := bizCount(e.do("GET", "/products/"+q+"/costs", nil, w.member)); n != 2 {
			t.Fatalf("%d entries left", n)
		}
	})
}
