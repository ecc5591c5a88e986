package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/bursar/bursar/internal/id"
)

func TestCategoriesEndpoints(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		tok := e.editor.token
		// Form-encoded create.
		r := e.form("POST", "/categories", url.Values{"budget": {e.budget}, "name": {"Food"}, "description": {" eat "}}, tok)
		want(t, r, http.StatusCreated)
		wantBudgetKeys(t, "category", r.JSON(), "id", "name", "description", "budget")
		if r.Str("budget") != e.budget || r.Str("description") != "eat" {
			t.Fatalf("created %s", r.Body)
		}
		food := r.Str("id")
		r = e.do("GET", "/categories/"+food, nil, e.reader.token)
		want(t, r, http.StatusOK)
		wantBudgetKeys(t, "category", r.JSON(), "id", "name", "description", "budget")

		// PUT: name required, budget ignored.
		other := e.create(t, "/budgets/", map[string]any{"name": "Other"}, e.editor)
		wantBudgetField(t, e.do("PUT", "/categories/"+food+"/", map[string]any{"budget": other}, tok), "name", "This field is required.")
		r = e.do("PUT", "/categories/"+food+"/", map[string]any{"budget": other, "name": "Meals"}, tok)
		want(t, r, http.StatusOK)
		if r.Str("budget") != e.budget || r.Str("name") != "Meals" || r.Str("description") != "eat" {
			t.Fatalf("put %s", r.Body)
		}
		r = e.form("PATCH", "/categories/"+food+"/", url.Values{"description": {""}}, tok)
		want(t, r, http.StatusOK)
		if r.Str("description") != "" || r.Str("name") != "Meals" {
			t.Fatalf("patch %s", r.Body)
		}

		// Lists: filter by ?budget=, or everything visible; list items carry the four keys.
		e.create(t, "/categories/", map[string]any{"budget": other, "name": "Other's"}, e.editor)
		items := budgetResults(t, e.do("GET", "/categories/?budget="+e.budget, nil, tok))
		if len(items) != 1 || items[0]["id"] != food {
			t.Fatalf("filtered list = %v", items)
		}
		wantBudgetKeys(t, "list item", items[0], "id", "name", "description", "budget")
		if n := len(budgetResults(t, e.do("GET", "/categories/", nil, tok))); n != 2 {
			t.Fatalf("editor lists %d categories, want 2", n)
		}
		if n := len(budgetResults(t, e.do("GET", "/categories?budget=", nil, e.reader.token))); n != 1 {
			t.Fatalf("reader lists %d categories with an empty filter, want 1", n)
		}
		wantBudgetField(t, e.do("GET", "/categories/?budget=5", nil, tok), "budget", `Invalid pk "5" - object does not exist.`)
		want(t, e.do("GET", "/categories/?budget="+other, nil, e.reader.token), http.StatusNotFound)
		want(t, e.do("GET", "/categories/?budget="+id.New(), nil, tok), http.StatusNotFound)

		// Body errors.
		wantBudgetField(t, e.do("POST", "/categories/", map[string]any{"name": "x"}, tok), "budget", "This field is required.")
		wantBudgetField(t, e.do("POST", "/categories/", map[string]any{"budget": 5, "name": "x"}, tok), "budget", `Invalid pk "5" - object does not exist.`)
		want(t, e.do("POST", "/categories/", map[string]any{"budget": other, "name": "x"}, e.reader.token), http.StatusNotFound)
		r = e.do("POST", "/categories/", map[string]any{"budget": e.budget, "name": "", "description": nil}, tok)
		wantBudgetField(t, r, "name", "This field may not be blank.")
		if r.details()["description"] != nil {
			t.Fatalf("a null description is the default (S36), not an error: %s", r.Body)
		}

		want(t, e.do("DELETE", "/categories/"+food+"/", nil, tok), http.StatusNoContent)
		want(t, e.do("GET", "/categories/"+food+"/", nil, tok), http.StatusNotFound)
	})
}

func TestCashFlowsEndpoints(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		tok := e.editor.token
		food := e.create(t, "/categories/", map[string]any{"budget": e.budget, "name": "Food"}, e.editor)
		r := e.do("POST", "/cash-flows/", map[string]any{"budget": e.budget, "name": "Lunch", "amount": 12.5, "type": "2", "category": food}, tok)
		want(t, r, http.StatusCreated)
		wantExact := func(r *resp, id, amount, desc, category string, typ int) {
			t.Helper()
			cat := "null"
			if category != "" {
				cat = `"` + category + `"`
			}
			want := fmt.Sprintf(`{"id":%q,"amount":%q,"name":"Lunch","description":%q,"budget":%q,"type":%d,"category":%s}`,
				id, amount, desc, e.budget, typ, cat)
			if string(r.Body) != want {
				t.Fatalf("cash flow\n got %s\nwant %s", r.Body, want)
			}
		}
		lunch := r.Str("id")
		wantExact(r, lunch, "12.50", "", food, 2)
		wantExact(e.do("GET", "/cash-flows/"+lunch, nil, e.reader.token), lunch, "12.50", "", food, 2)

		// Form-encoded PATCH; "category=" clears it (a form cannot send null).
		r = e.form("PATCH", "/cash-flows/"+lunch+"/", url.Values{"category": {""}, "description": {"d"}, "amount": {"13"}}, tok)
		want(t, r, http.StatusOK)
		wantExact(r, lunch, "13.00", "d", "", 2)

		// PUT: all required fields; omitted category kept, budget must stay.
		e.do("PATCH", "/cash-flows/"+lunch+"/", map[string]any{"category": food}, tok)
		r = e.do("PUT", "/cash-flows/"+lunch+"/", map[string]any{"budget": e.budget, "name": "Lunch", "amount": "14", "type": 2}, tok)
		want(t, r, http.StatusOK)
		wantExact(r, lunch, "14.00", "d", food, 2)
		r = e.do("PUT", "/cash-flows/"+lunch+"/", map[string]any{"name": "Lunch"}, tok)
		for _, f := range []string{"budget", "amount", "type"} {
			wantBudgetField(t, r, f, "This field is required.")
		}

		// List items: seven keys, category null when none.
		e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "Salary", "amount": "5000", "type": 1}, e.creator)
		items := budgetResults(t, e.do("GET", "/cash-flows/?budget="+e.budget, nil, e.reader.token))
		if len(items) != 2 || items[1]["id"] != lunch {
			t.Fatalf("list = %v", items)
		}
		wantBudgetKeys(t, "list item", items[0], "id", "name", "amount", "type", "category", "description", "budget")
		if items[0]["amount"] != "5000.00" || items[0]["category"] != nil || items[0]["type"] != float64(1) {
			t.Fatalf("list item %v", items[0])
		}

		// Field errors, all at once.
		r = e.do("POST", "/cash-flows/", map[string]any{"budget": e.budget, "name": "", "amount": "0", "type": 3}, tok)
		wantBudgetField(t, r, "name", "This field may not be blank.")
		wantBudgetField(t, r, "amount", "Ensure this value is greater than or equal to 0.01.")
		wantBudgetField(t, r, "type", `"3" is not a valid choice.`)
		for _, c := range []struct {
			amount any
			msg    string
		}{
			{"1.234", "Ensure that there are no more than 2 decimal places."},
			{"12345678901234", "Ensure that there are no more than 13 digits before the decimal point."},
			{"NaN", "A valid number is required."},
			{"1e3", "A valid number is required."},
			{-3, "Ensure this value is greater than or equal to 0.01."},
		} {
			r = e.do("POST", "/cash-flows/", map[string]any{"budget": e.budget, "name": "x", "amount": c.amount, "type": 1}, tok)
			wantBudgetField(t, r, "amount", c.msg)
		}
		wantBudgetField(t, e.do("POST", "/cash-flows/", map[string]any{"budget": e.budget, "name": "x", "amount": 1, "type": "x"}, tok),
			"type", "A valid integer is required.")

		want(t, e.do("DELETE", "/cash-flows/"+lunch, nil, tok), http.StatusNoContent)
		want(t, e.do("GET", "/cash-flows/"+lunch, nil, tok), http.StatusNotFound)
	})
}

func TestSharesEndpoints(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		tok := e.creator.token
		daveID, daveTok := e.signUp("dave")
		// Create by e-mail, form-encoded; the answer carries shared_with as the id and username.
		r := e.form("POST", "/budget-share/", url.Values{"budget": {e.budget}, "shared_with": {"DAVE@example.com"}, "role": {"1"}}, tok)
		want(t, r, http.StatusCreated)
		wantJSON := fmt.Sprintf(`{"id":%q,"budget":%q,"shared_with":%q,"username":"dave","role":1}`, r.Str("id"), e.budget, daveID)
		if string(r.Body) != wantJSON {
			t.Fatalf("share\n got %s\nwant %s", r.Body, wantJSON)
		}
		share := r.Str("id")
		r = e.do("GET", "/budget-share/"+share+"/", nil, daveTok)
		if string(r.Body) != wantJSON {
			t.Fatalf("GET share\n got %s\nwant %s", r.Body, wantJSON)
		}

		// List: shares of every visible budget, or of one.
		items := budgetResults(t, e.do("GET", "/budget-share/?budget="+e.budget, nil, e.reader.token))
		if got := budgetIDs(items); !slices.Equal(got, []string{share, e.readerShare, e.editorShare}) {
			t.Fatalf("shares = %v", got)
		}
		wantBudgetKeys(t, "share", items[0], "id", "budget", "shared_with", "username", "role")
		if n := len(budgetResults(t, e.do("GET", "/budget-share", nil, e.stranger.token))); n != 0 {
			t.Fatalf("stranger lists %d shares", n)
		}

		// PUT and PATCH change only the role.
		r = e.do("PUT", "/budget-share/"+share+"/", map[string]any{"budget": e.budget, "shared_with": daveID, "role": "2"}, tok)
		want(t, r, http.StatusOK)
		if r.JSON()["role"] != float64(2) {
			t.Fatalf("put %s", r.Body)
		}
		r = e.do("PATCH", "/budget-share/"+share, map[string]any{"role": 3}, tok)
		wantBudgetField(t, r, "role", `"3" is not a valid choice.`)

		// Errors under the field.
		wantBudgetField(t, e.do("POST", "/budget-share/", map[string]any{"budget": e.budget, "shared_with": "nobody"}, tok),
			"shared_with", "No user with this id, username or e-mail.")
		wantBudgetField(t, e.do("POST", "/budget-share/", map[string]any{"budget": e.budget, "shared_with": "dave"}, tok),
			"non_field_errors", "The fields budget, shared_with must make a unique set.")
		wantBudgetField(t, e.do("POST", "/budget-share/", map[string]any{"budget": e.budget}, tok), "shared_with", "This field is required.")

		// The sharee leaves.
		want(t, e.do("DELETE", "/budget-share/"+share+"/", nil, daveTok), http.StatusNoContent)
		want(t, e.do("GET", "/budgets/"+e.budget+"/", nil, daveTok), http.StatusNotFound)
	})
}
