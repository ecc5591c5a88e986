package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestProductsCRUD: create, get, patch, soft delete; exactly the predecessor's keys (S33);
// read-only keys ignored, unknown keys 400 (§1.11, conventions); suppliers as one id or a
// list (S37); no 204 (S38).
func TestProductsCRUD(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		sup1, sup2 := w.prodSupplier(w.owner, "Fornecedor Um"), w.prodSupplier(w.member, "Fornecedor Dois")
		cat := w.prodCategory(w.member, "Papelaria", "")
		r := e.do("POST", "/products", map[string]any{"name": " Caneta Azul ", "sku": "CAN-1", "barcode": "789",
			"brand": "Bic", "category": cat, "supplier": []string{sup2, sup1}, "cost_price": 1.5, "retail_price": "3",
			"discounted_price": "2.75", "unit": "un", "stock": "4", "is_available": "False", "id": prodFake,
			"business": w.otherBizID, "created_at": "x"}, w.member)
		want(t, r, http.StatusCreated)
		p := bizObj(r, "product")
		bizWantKeys(t, p, prodKeysOut...)
		wantSup := []any{sup1, sup2}
		slices.SortFunc(wantSup, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
		if p["name"] != "Caneta Azul" || p["category"] != "Papelaria" || !slices.Equal(p["supplier"].([]any), wantSup) ||
			p["cost_price"] != "1.50" || p["retail_price"] != "3.00" || p["discounted_price"] != "2.75" ||
			p["stock"] != float64(4) || p["is_available"] != false || p["track_stock"] != true || p["is_active"] != true ||
			p["id"] == prodFake {
			t.Fatalf("created %v", p)
		}
		id := p["id"].(string)

		// One supplier id instead of a list (S37); null clears prices and category.
		r = e.do("PATCH", "/products/"+id, map[string]any{"supplier": sup1, "cost_price": nil, "category": nil,
			"stock_unused": 1}, w.owner)
		bizWantInvalid(t, r, "stock_unused")
		r = e.do("PATCH", "/products/"+id, map[string]any{"supplier": sup1, "cost_price": nil, "category": nil}, w.owner)
		want(t, r, http.StatusOK)
		p = bizObj(r, "product")
		if !slices.Equal(p["supplier"].([]any), []any{sup1}) || p["cost_price"] != nil || p["category"] != nil ||
			p["name"] != "Caneta Azul" || p["stock"] != float64(4) {
			t.Fatalf("patched %v", p)
		}
		r = e.do("PATCH", "/products/"+id, map[string]any{"supplier": []string{}}, w.owner)
		if p = bizObj(r, "product"); len(p["supplier"].([]any)) != 0 {
			t.Fatalf("cleared suppliers: %v", p)
		}

		// §5: PATCH with stock is 400 — any stock key, even 0 or a bad value (defect 21).
		for _, v := range []any{5, 0, "x", nil} {
			bizWantError(t, e.do("PATCH", "/products/"+id, map[string]any{"stock": v, "name": "y"}, w.member),
				http.StatusBadRequest, "Adjust stock quantity through an inventory transaction.")
		}

		r = e.do("GET", "/products/"+id, nil, w.member)
		want(t, r, http.StatusOK)
		bizWantKeys(t, bizObj(r, "product"), prodKeysOut...)

		r = e.do("DELETE", "/products/"+id, nil, w.member)
		want(t, r, http.StatusOK)
		if d := bizObj(r, "product"); len(d) != 2 || d["id"] != id || d["is_active"] != false {
			t.Fatalf("delete answered %s", r.Body)
		}
		r = e.do("GET", "/products/"+id, nil, w.owner) // soft: still there, inactive
		if p := bizObj(r, "product"); p["is_active"] != false {
			t.Fatalf("after delete %v", p)
		}

		// Validation.
		bizWantField(t, e.do("POST", "/products", map[string]any{"sku": "x"}, w.owner), "name", "This field is required.")
		bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "cost_price": "1.234"}, w.owner), "cost_price",
			"Ensure that there are no more than 2 decimal places.")
		bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "retail_price": "123456789"}, w.owner), "retail_price",
			"Ensure that there are no more than 8 digits before the decimal point.")
		bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "discounted_price": "-1"}, w.owner), "discounted_price",
			"Ensure this value is greater than or equal to 0.")
		bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "stock": -2}, w.owner), "stock",
			"Ensure this value is greater than or equal to 0.")
		bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "supplier": map[string]any{}}, w.owner), "supplier",
			`Expected a list of items but got type "dict".`)
		bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "supplier": []any{1}}, w.owner), "supplier",
			"Incorrect type. Expected pk value, received number.")
		bizWantInvalid(t, e.do("POST", "/products", "", w.owner))
		bizWantInvalid(t, e.do("POST", "/products", map[string]any{"name": "x", "price": 1}, w.owner), "price")

		// Form bodies: one supplier, booleans as text (S28, S37).
		r = e.form("POST", "/products/", url.Values{"name": {"Form"}, "supplier": {sup2}, "track_stock": {"false"},
			"stock": {"2"}}, w.member)
		want(t, r, http.StatusCreated)
		if p := bizObj(r, "product"); !slices.Equal(p["supplier"].([]any), []any{sup2}) || p["track_stock"] != false || p["stock"] != float64(2) {
			t.Fatalf("form-created %v", p)
		}
	})
}

// TestProductsSearchAndList: one route lists and searches (S9): absent search lists, empty is
// 400 Provide a search term., short is 400 Enter at least 3 characters. (§5); name substring,
// id, sku, barcode exact; pages of 50 in creation order; only the caller's business.
func TestProductsSearchAndList(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		for _, p := range []string{"/products", "/products/"} {
			bizWantError(t, e.do("GET", p+"?search=", nil, w.member), 400, "Provide a search term.")
			bizWantError(t, e.do("GET", p+"?search=ab", nil, w.member), 400, "Enter at least 3 characters.")
		}
		azul := w.prodNew(w.owner, "Caneta Azul", map[string]any{"sku": "SKU-AZUL", "barcode": "7891000"})["id"].(string)
		verde := w.prodNew(w.member, "Caneta Verde", map[string]any{"barcode": "7892000"})["id"].(string)
		w.prodNew(w.other, "Caneta Preta", map[string]any{"sku": "SKU-AZUL"}) // sku is unique per business (defect 23)
		cases := []struct {
			q    string
			want []string
		}{
			{"caneta", []string{azul, verde}},
			{"VERDE", []string{verde}},
			{"SKU-AZUL", []string{azul}},
			{"sku-azul", nil},
			{"7892000", []string{verde}},
			{"789", nil},
			{azul, []string{azul}},
			{"preta", nil},
		}
		for _, tc := range cases {
			for _, p := range []string{"/products", "/products/"} {
				var got []string
				for _, it := range bizResults(t, e.do("GET", p+"?search="+url.QueryEscape(tc.q), nil, w.member), "product") {
					got = append(got, it["id"].(string))
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("GET %s?search=%s: %v, want %v", p, tc.q, got, tc.want)
				}
			}
		}
		bizWantField(t, e.do("POST", "/products", map[string]any{"name": "Dup", "sku": "SKU-AZUL"}, w.member), "sku",
			"product with this sku already exists.")
		w.prodNew(w.owner, "Blank sku 1", map[string]any{"sku": ""})
		w.prodNew(w.owner, "Blank sku 2", map[string]any{"sku": ""})

		for i := range 51 {
			w.prodNew(w.owner, fmt.Sprintf("Item %02d", i), nil)
		}
		r := e.do("GET", "/products", nil, w.owner)
		items := bizResults(t, r, "product")
		if bizCount(r) != 55 || len(items) != 50 || items[0]["id"] != azul || r.JSON()["next"] == nil {
			t.Fatalf("page 1: count %d, %d items", bizCount(r), len(items))
		}
		r = e.do("GET", "/products?page=2", nil, w.owner)
		if items := bizResults(t, r, "product"); len(items) != 5 || items[4]["name"] != "Item 50" {
			t.Fatalf("page 2: %v", items)
		}
		bizWantError(t, e.do("GET", "/products?page=3", nil, w.owner), 404, "Invalid page.")
		if n := bizCount(e.do("GET", "/products?search=item", nil, w.owner)); n != 51 {
			t.Fatalf("search item: %d", n)
		}
	})
}

// TestProductCategories: CRUD with the parent chain, names unique per business (defect 23),
// parents of the same business only (defect 2), soft delete.
func TestProductCategories(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		root := w.prodCategory(w.owner, "Escritório", "")
		r := e.do("POST", "/products/categories", map[string]any{"name": "Papel", "parent": root, "business": w.otherBizID}, w.member)
		want(t, r, http.StatusCreated)
		c := bizObj(r, "category")
		bizWantKeys(t, c, prodCategoryKeysOut...)
		parent := c["parent"].(map[string]any)
		bizWantKeys(t, parent, prodCategoryKeysOut...)
		if parent["name"] != "Escritório" || parent["parent"] != nil || c["is_active"] != true {
			t.Fatalf("created %v", c)
		}
		id := c["id"].(string)
		bizWantField(t, e.do("POST", "/products/categories", map[string]any{"name": "Papel"}, w.owner), "name",
			"product category with this name already exists.")
		want(t, e.do("POST", "/products/categories", map[string]any{"name": "Papel"}, w.other), http.StatusCreated)
		otherRoot := w.prodCategory(w.other, "Deles", "")
		bizWantField(t, e.do("PATCH", "/products/categories/"+id, map[string]any{"parent": otherRoot}, w.owner), "parent",
			fmt.Sprintf("Invalid pk %q - object does not exist.", otherRoot))
		bizWantField(t, e.do("PATCH", "/products/categories/"+root, map[string]any{"parent": id}, w.owner), "parent",
			"A category cannot be its own ancestor.")
		r = e.do("PATCH", "/products/categories/"+id, map[string]any{"parent": nil, "name": "Papéis"}, w.owner)
		if c := bizObj(r, "category"); c["parent"] != nil || c["name"] != "Papéis" {
			t.Fatalf("patched %s", r.Body)
		}
		bizWantError(t, e.do("GET", "/products/categories/"+id, nil, w.other), 404, "Category not found.")
		r = e.do("DELETE", "/products/categories/"+id, nil, w.member)
		if d := bizObj(r, "category"); len(d) != 2 || d["id"] != id || d["is_active"] != false {
			t.Fatalf("delete answered %s", r.Body)
		}
		// An inactive category takes no new products (S22).
		bizWantField(t, e.do("POST", "/products", map[string]any{"name": "x", "category": id}, w.owner), "category",
			"This category is inactive.")
		items := bizResults(t, e.do("GET", "/products/categories", nil, w.member), "category")
		if len(items) != 2 || items[0]["id"] != root {
			t.Fatalf("list %v", items)
		}
	})
}
