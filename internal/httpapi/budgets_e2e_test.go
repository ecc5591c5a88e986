package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/id"
)

func TestBudgetsRequireToken(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		paths := []string{"/budgets", "/categories", "/cash-flows", "/budget-share"}
		n := 0
		for _, p := range paths {
			for _, c := range []struct {
				paths   []string
				methods []string
			}{
				{[]string{p, p + "/"}, []string{"GET", "POST"}},
				{[]string{p + "/" + e.budget, p + "/" + e.budget + "/"}, []string{"GET", "PUT", "PATCH", "DELETE"}},
			} {
				for _, path := range c.paths {
					for _, m := range c.methods {
						n++
						r := e.do(m, path, map[string]any{"name": "x"}, "")
						want(t, r, http.StatusUnauthorized)
						if r.Header.Get("WWW-Authenticate") != `Bearer realm="api"` || r.errorMessage() != "Authentication credentials were not provided." {
							t.Fatalf("%s %s: %v %s", m, path, r.Header, r.Body)
						}
					}
				}
			}
		}
		if n != 48 {
			t.Fatalf("checked %d requests, want 48", n)
		}
		// Wrong methods are 405 with Allow, before authentication (S3).
		for _, c := range []struct{ method, path, allow string }{
			{"DELETE", "/budgets/", "GET"},
			{"POST", "/budgets/" + e.budget + "/", "PATCH"},
			{"PUT", "/cash-flows", "POST"},
		} {
			r := e.do(c.method, c.path, nil, "")
			want(t, r, http.StatusMethodNotAllowed)
			if !strings.Contains(r.Header.Get("Allow"), c.allow) {
				t.Errorf("%s %s: Allow = %q", c.method, c.path, r.Header.Get("Allow"))
			}
		}
	})
}

func TestBudgetsEndpoints(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		tok := e.creator.token
		// Create: JSON and form, answer {id, name, description}; unknown and read-only fields ignored.
		r := e.do("POST", "/budgets/", map[string]any{"name": " Car ", "description": "Fuel", "creator": e.stranger.id,
			"id": id.New(), "color": "red"}, tok)
		want(t, r, http.StatusCreated)
		wantBudgetKeys(t, "created budget", r.JSON(), "id", "name", "description")
		car := r.Str("id")
		if r.Str("name") != "Car" || r.Str("description") != "Fuel" {
			t.Fatalf("created %s", r.Body)
		}
		r = e.form("POST", "/budgets", url.Values{"name": {"Form"}}, tok)
		want(t, r, http.StatusCreated)
		if r.JSON()["description"] != "" {
			t.Fatalf("D4: description = %v, want \"\"", r.JSON()["description"])
		}
		form := r.Str("id")

		// List: newest first, exact keys.
		items := budgetResults(t, e.do("GET", "/budgets/", nil, tok))
		if got := budgetIDs(items); !slices.Equal(got, []string{form, car, e.budget}) {
			t.Fatalf("list = %v", got)
		}
		wantBudgetKeys(t, "list item", items[0], "id", "name", "description")

		// Detail, with and without slash.
		for _, p := range []string{"/budgets/" + car + "/", "/budgets/" + car, "/budgets/" + strings.ToLower(car) + "/"} {
			r = e.do("GET", p, nil, tok)
			want(t, r, http.StatusOK)
			wantBudgetKeys(t, "detail", r.JSON(), "id", "name", "description", "creator", "shares", "total_balance")
			if r.Str("id") != car {
				t.Fatalf("GET %s answered %s", p, r.Body)
			}
		}

		// PUT requires name; PATCH any subset; the answer is the list shape.
		wantBudgetField(t, e.do("PUT", "/budgets/"+car+"/", map[string]any{"description": "x"}, tok), "name", "This field is required.")
		r = e.do("PATCH", "/budgets/"+car, map[string]any{"description": ""}, tok)
		want(t, r, http.StatusOK)
		wantBudgetKeys(t, "patched", r.JSON(), "id", "name", "description")
		if r.Str("name") != "Car" || r.JSON()["description"] != "" {
			t.Fatalf("patched %s", r.Body)
		}
		r = e.form("PUT", "/budgets/"+car+"/", url.Values{"name": {"Auto"}}, tok)
		want(t, r, http.StatusOK)
		if r.Str("name") != "Auto" {
			t.Fatalf("put %s", r.Body)
		}
		wantBudgetField(t, e.do("PATCH", "/budgets/"+car+"/", map[string]any{"name": strings.Repeat("é", 21)}, tok),
			"name", "Ensure this field has no more than 20 characters.")
		wantBudgetField(t, e.do("POST", "/budgets/", map[string]any{"name": "   "}, tok), "name", "This field may not be blank.")
		wantBudgetField(t, e.do("POST", "/budgets/", map[string]any{"name": []int{1}}, tok), "name", "Not a valid string.")

		// Delete: 204, empty body; afterwards 404.
		r = e.do("DELETE", "/budgets/"+car+"/", nil, tok)
		want(t, r, http.StatusNoContent)
		if len(r.Body) != 0 {
			t.Fatalf("204 with body %q", r.Body)
		}
		want(t, e.do("GET", "/budgets/"+car+"/", nil, tok), http.StatusNotFound)
		want(t, e.do("DELETE", "/budgets/"+car, nil, tok), http.StatusNotFound)
		// Malformed path ids are 404.
		for _, p := range []string{"/budgets/12/", "/categories/abc", "/cash-flows/" + strings.Repeat("Z", 27), "/budget-share/%20/"} {
			want(t, e.do("GET", p, nil, tok), http.StatusNotFound)
		}
	})
}

func TestBudgetDetailShape(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		r := e.do("GET", "/budgets/"+e.budget+"/", nil, e.reader.token)
		want(t, r, http.StatusOK)
		wantJSON := fmt.Sprintf(`{"id":%q,"name":"Home","description":"","creator":{"id":%q,"username":"alice","email":"alice@example.com"},`+
			`"shares":[{"id":%q,"username":"carol","role":2},{"id":%q,"username":"bob","role":1}],`+
			`"total_balance":{"incomes":"0.00","expenses":"0.00","total":"0.00"}}`,
			e.budget, e.creator.id, e.readerShare, e.editorShare)
		if string(r.Body) != wantJSON {
			t.Fatalf("detail\n got %s\nwant %s", r.Body, wantJSON)
		}
	})
}

// TestBudgetsRoles checks every endpoint against every role (budgets-api.md §3–6 as amended by
// conventions S4, S17 and defects D2, D10, D11, D12).
func TestBudgetsRoles(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		cat := e.create(t, "/categories/", map[string]any{"budget": e.budget, "name": "Food"}, e.creator)
		flow := e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "Rent", "amount": "10", "type": 2}, e.creator)
		dave, _ := e.signUp("dave")
		type call struct {
			method, path string
			body         map[string]any
		}
		calls := []call{
			{"GET", "/budgets/" + e.budget + "/", nil},
			{"PATCH", "/budgets/" + e.budget + "/", map[string]any{"name": "New"}},
			{"PUT", "/budgets/" + e.budget + "/", map[string]any{"name": "New"}},
			{"GET", "/categories/?budget=" + e.budget, nil},
			{"GET", "/categories/" + cat + "/", nil},
			{"POST", "/categories/", map[string]any{"budget": e.budget, "name": "New"}},
			{"PATCH", "/categories/" + cat + "/", map[string]any{"name": "New"}},
			{"PUT", "/categories/" + cat + "/", map[string]any{"name": "New"}},
			{"GET", "/cash-flows/?budget=" + e.budget, nil},
			{"GET", "/cash-flows/" + flow + "/", nil},
			{"POST", "/cash-flows/", map[string]any{"budget": e.budget, "name": "New", "amount": 1, "type": 1}},
			{"PATCH", "/cash-flows/" + flow + "/", map[string]any{"name": "New"}},
			{"PUT", "/cash-flows/" + flow + "/", map[string]any{"budget": e.budget, "name": "New", "amount": 1, "type": 1}},
			{"GET", "/budget-share/?budget=" + e.budget, nil},
			{"GET", "/budget-share/" + e.readerShare + "/", nil},
			{"POST", "/budget-share/", map[string]any{"budget": e.budget, "shared_with": dave}},
			{"PATCH", "/budget-share/" + e.readerShare + "/", map[string]any{"role": 2}},
			{"PUT", "/budget-share/" + e.readerShare + "/", map[string]any{"role": 2}},
		}
		//                       creator editor reader stranger
		wantStatus := [][4]int{
			{200, 200, 200, 404}, // GET budget
			{200, 403, 403, 404}, // PATCH budget
			{200, 403, 403, 404}, // PUT budget
			{200, 200, 200, 404}, // list categories
			{200, 200, 200, 404}, // GET category
			{201, 201, 403, 404}, // POST category
			{200, 200, 403, 404}, // PATCH category
			{200, 200, 403, 404}, // PUT category
			{200, 200, 200, 404}, // list cash flows
			{200, 200, 200, 404}, // GET cash flow
			{201, 201, 403, 404}, // POST cash flow
			{200, 200, 403, 404}, // PATCH cash flow
			{200, 200, 403, 404}, // PUT cash flow
			{200, 200, 200, 404}, // list shares
			{200, 200, 200, 404}, // GET share
			{201, 403, 403, 404}, // POST share (only once: later 400 duplicate)
			{200, 403, 403, 404}, // PATCH share
			{200, 403, 403, 404}, // PUT share
		}
		users := []budgetUser{e.creator, e.editor, e.reader, e.stranger}
		names := []string{"creator", "editor", "reader", "stranger"}
		for i, c := range calls {
			for j := len(users) - 1; j >= 0; j-- { // the creator last, so its writes do not change the others' answers
				r := e.do(c.method, c.path, c.body, users[j].token)
				if r.Status != wantStatus[i][j] {
					t.Errorf("%s %s as %s: status %d, want %d; body %s", c.method, c.path, names[j], r.Status, wantStatus[i][j], r.Body)
				}
			}
		}
		// Deletes: stranger 404, read-only 403 (editor may delete categories and cash flows).
		for _, p := range []string{"/categories/" + cat + "/", "/cash-flows/" + flow + "/", "/budget-share/" + e.editorShare + "/", "/budgets/" + e.budget + "/"} {
			want(t, e.do("DELETE", p, nil, e.stranger.token), http.StatusNotFound)
			want(t, e.do("DELETE", p, nil, e.reader.token), http.StatusForbidden)
		}
		want(t, e.do("DELETE", "/budgets/"+e.budget+"/", nil, e.editor.token), http.StatusForbidden)
		want(t, e.do("DELETE", "/budget-share/"+e.readerShare+"/", nil, e.editor.token), http.StatusForbidden)
		want(t, e.do("DELETE", "/cash-flows/"+flow+"/", nil, e.editor.token), http.StatusNoContent)
		want(t, e.do("DELETE", "/categories/"+cat+"/", nil, e.editor.token), http.StatusNoContent)
		want(t, e.do("DELETE", "/budget-share/"+e.editorShare+"/", nil, e.creator.token), http.StatusNoContent)
		want(t, e.do("DELETE", "/budgets/"+e.budget+"/", nil, e.creator.token), http.StatusNoContent)
	})
}

// TestBudgetsPagination: 51 budgets make two pages with absolute links (conventions "Lists", S8).
func TestBudgetsPagination(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		var made []string
		for i := 0; i < 50; i++ { // plus the shared "Home": 51
			made = append(made, e.create(t, "/budgets/", map[string]any{"name": fmt.Sprint("b", i)}, e.reader))
		}
		r := e.do("GET", "/budgets/", nil, e.reader.token)
		page1 := budgetResults(t, r)
		m := r.JSON()
		if m["count"] != float64(51) || len(page1) != 50 || m["previous"] != nil || m["next"] != e.srv.URL+"/budgets/?page=2" {
			t.Fatalf("page 1: count %v, %d items, previous %v, next %v", m["count"], len(page1), m["previous"], m["next"])
		}
		if page1[0]["id"] != made[49] {
			t.Fatalf("first item %v, want the newest", page1[0]["id"])
		}
		r = e.do("GET", "/budgets?page=2", nil, e.reader.token)
		page2 := budgetResults(t, r)
		m = r.JSON()
		if len(page2) != 1 || page2[0]["id"] != e.budget || m["next"] != nil || m["previous"] != e.srv.URL+"/budgets" {
			t.Fatalf("page 2: %s", r.Body)
		}
		r = e.do("GET", "/budgets/?page=3", nil, e.reader.token)
		want(t, r, http.StatusNotFound)
		if r.errorMessage() != "Invalid page." {
			t.Fatalf("page 3: %s", r.Body)
		}
		// Cash flows: the filter stays in the links.
		for i := 0; i < 51; i++ {
			e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "f", "amount": 1, "type": 1}, e.editor)
		}
		r = e.do("GET", "/cash-flows/?budget="+e.budget+"&page=2", nil, e.reader.token)
		if items := budgetResults(t, r); len(items) != 1 || r.JSON()["previous"] != e.srv.URL+"/cash-flows/?budget="+e.budget {
			t.Fatalf("cash flows page 2: %s", r.Body)
		}
		r = e.do("GET", "/cash-flows/?budget="+e.budget, nil, e.reader.token)
		if r.JSON()["next"] != e.srv.URL+"/cash-flows/?budget="+e.budget+"&page=2" {
			t.Fatalf("cash flows next = %v", r.JSON()["next"])
		}
		// Empty lists are a page 1 with no results.
		r = e.do("GET", "/categories/", nil, e.stranger.token)
		if items := budgetResults(t, r); len(items) != 0 || r.JSON()["count"] != float64(0) {
			t.Fatalf("empty list: %s", r.Body)
		}
	})
}
