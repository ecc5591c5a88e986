package httpapi

import (
	"net/http"
	"slices"
	"testing"

	"github.com/bursar/bursar/internal/id"
)

// One test per defect of budgets-api.md §10 that concerns the Budgets endpoints. D5 and D6 are
// the e-mail summary's; D16–D21 concern identity, tokens and documentation.

// D1: roles follow the README: 1 = editor, 2 = read-only, and the default is read-only.
func TestBudgetsD1RoleNumbers(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		_, daveTok := e.signUp("dave")
		r := e.do("POST", "/budget-share/", map[string]any{"budget": e.budget, "shared_with": "dave"}, e.creator.token)
		want(t, r, http.StatusCreated)
		if r.JSON()["role"] != float64(2) {
			t.Fatalf("default role %v, want 2 (read-only)", r.JSON()["role"])
		}
		share := r.Str("id")
		want(t, e.do("POST", "/categories/", map[string]any{"budget": e.budget, "name": "x"}, daveTok), http.StatusForbidden)
		want(t, e.do("PATCH", "/budget-share/"+share+"/", map[string]any{"role": 1}, e.creator.token), http.StatusOK)
		want(t, e.do("POST", "/categories/", map[string]any{"budget": e.budget, "name": "x"}, daveTok), http.StatusCreated)
	})
}

// D2: sharees see shared budgets in the list and in detail.
func TestBudgetsD2SharedBudgetsVisible(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		for _, u := range []budgetUser{e.editor, e.reader} {
			if got := budgetIDs(budgetResults(t, e.do("GET", "/budgets/", nil, u.token))); !slices.Equal(got, []string{e.budget}) {
				t.Fatalf("list = %v, want the shared budget", got)
			}
			want(t, e.do("GET", "/budgets/"+e.budget+"/", nil, u.token), http.StatusOK)
		}
		if got := budgetResults(t, e.do("GET", "/budgets/", nil, e.stranger.token)); len(got) != 0 {
			t.Fatalf("stranger lists %v", got)
		}
	})
}

// D3: total is incomes minus expenses.
func TestBudgetsD3TotalIsIncomesMinusExpenses(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		for _, f := range []map[string]any{
			{"budget": e.budget, "name": "Salary", "amount": "1500", "type": 1},
			{"budget": e.budget, "name": "Food", "amount": "320.5", "type": 2},
			{"budget": e.budget, "name": "Fuel", "amount": 400, "type": 2},
		} {
			e.create(t, "/cash-flows/", f, e.editor)
		}
		tb := e.do("GET", "/budgets/"+e.budget+"/", nil, e.reader.token).JSON()["total_balance"].(map[string]any)
		if tb["incomes"] != "1500.00" || tb["expenses"] != "720.50" || tb["total"] != "779.50" {
			t.Fatalf("total_balance = %v", tb)
		}
		e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "Car", "amount": "1000", "type": 2}, e.editor)
		tb = e.do("GET", "/budgets/"+e.budget+"/", nil, e.reader.token).JSON()["total_balance"].(map[string]any)
		if tb["total"] != "-220.50" {
			t.Fatalf("negative total = %v, want -220.50", tb["total"])
		}
	})
}

// D4: empty values keep their keys.
func TestBudgetsD4EmptyValuesKept(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		// A creator without an e-mail.
		r := e.do("POST", "/register/", map[string]string{"username": "noemail", "password": testPassword}, "")
		want(t, r, http.StatusCreated)
		tok := e.signIn("noemail").Access
		r = e.do("POST", "/budgets/", map[string]any{"name": "B"}, tok)
		want(t, r, http.StatusCreated)
		wantBudgetKeys(t, "created", r.JSON(), "id", "name", "description")
		b := r.Str("id")
		wantBudgetKeys(t, "list item", budgetResults(t, e.do("GET", "/budgets/", nil, tok))[0], "id", "name", "description")
		r = e.do("PATCH", "/budgets/"+b+"/", map[string]any{"name": "C"}, tok)
		wantBudgetKeys(t, "updated", r.JSON(), "id", "name", "description")
		creator := e.do("GET", "/budgets/"+b+"/", nil, tok).JSON()["creator"].(map[string]any)
		if v, ok := creator["email"]; !ok || v != "" {
			t.Fatalf("creator = %v, want email \"\"", creator)
		}
	})
}

// D7: category and cash-flow lists are filtered by budget and by visibility.
func TestBudgetsD7ListsFiltered(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		secret := e.create(t, "/budgets/", map[string]any{"name": "Secret"}, e.stranger)
		e.create(t, "/categories/", map[string]any{"budget": secret, "name": "Hidden"}, e.stranger)
		e.create(t, "/cash-flows/", map[string]any{"budget": secret, "name": "Hidden", "amount": 1, "type": 1}, e.stranger)
		mine := e.create(t, "/categories/", map[string]any{"budget": e.budget, "name": "Mine"}, e.creator)
		flow := e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "Mine", "amount": 1, "type": 1}, e.creator)
		for _, path := range []string{"/categories/", "/categories/?budget=" + e.budget} {
			if got := budgetIDs(budgetResults(t, e.do("GET", path, nil, e.reader.token))); !slices.Equal(got, []string{mine}) {
				t.Fatalf("GET %s = %v", path, got)
			}
		}
		for _, path := range []string{"/cash-flows/", "/cash-flows/?budget=" + e.budget} {
			if got := budgetIDs(budgetResults(t, e.do("GET", path, nil, e.reader.token))); !slices.Equal(got, []string{flow}) {
				t.Fatalf("GET %s = %v", path, got)
			}
		}
	})
}

// D8: a cash flow cannot move to another budget, not even one the caller edits.
func TestBudgetsD8CashFlowStaysInBudget(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		own := e.create(t, "/budgets/", map[string]any{"name": "Own"}, e.editor)
		secret := e.create(t, "/budgets/", map[string]any{"name": "Secret"}, e.stranger)
		flow := e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "F", "amount": 1, "type": 1}, e.editor)
		for _, b := range []string{own, secret} {
			r := e.do("PUT", "/cash-flows/"+flow+"/", map[string]any{"budget": b, "name": "F", "amount": 1, "type": 1}, e.editor.token)
			wantBudgetField(t, r, "budget", "A cash flow cannot move to another budget.")
		}
		// PATCH ignores budget.
		r := e.do("PATCH", "/cash-flows/"+flow+"/", map[string]any{"budget": own, "name": "G"}, e.editor.token)
		want(t, r, http.StatusOK)
		if r.Str("budget") != e.budget || r.Str("name") != "G" {
			t.Fatalf("patch %s", r.Body)
		}
	})
}

// D9: a share's budget and user cannot change.
func TestBudgetsD9ShareCannotMove(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		other := e.create(t, "/budgets/", map[string]any{"name": "Other"}, e.creator)
		for _, m := range []string{"PUT", "PATCH"} {
			r := e.do(m, "/budget-share/"+e.readerShare+"/", map[string]any{"budget": other, "shared_with": e.stranger.id, "role": 1}, e.creator.token)
			wantBudgetField(t, r, "budget", "A share cannot move to another budget.")
			wantBudgetField(t, r, "shared_with", "A share cannot move to another user.")
		}
		r := e.do("GET", "/budget-share/"+e.readerShare+"/", nil, e.creator.token)
		if r.Str("budget") != e.budget || r.Str("shared_with") != e.reader.id || r.JSON()["role"] != float64(2) {
			t.Fatalf("share changed: %s", r.Body)
		}
		// The editor cannot grant anyone access to the budget by moving their own share.
		r = e.do("PUT", "/budget-share/"+e.editorShare+"/", map[string]any{"budget": e.budget, "shared_with": e.stranger.id}, e.editor.token)
		want(t, r, http.StatusForbidden)
		want(t, e.do("GET", "/budgets/"+e.budget+"/", nil, e.stranger.token), http.StatusNotFound)
	})
}

// D10: only the creator manages shares, and nobody can share with the creator.
func TestBudgetsD10OnlyCreatorShares(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		dave, _ := e.signUp("dave")
		want(t, e.do("POST", "/budget-share/", map[string]any{"budget": e.budget, "shared_with": dave, "role": 1}, e.editor.token), http.StatusForbidden)
		want(t, e.do("PATCH", "/budget-share/"+e.readerShare+"/", map[string]any{"role": 1}, e.editor.token), http.StatusForbidden)
		want(t, e.do("DELETE", "/budget-share/"+e.readerShare+"/", nil, e.editor.token), http.StatusForbidden)
		for _, who := range []string{e.creator.id, "alice", "Alice@Example.com"} {
			wantBudgetField(t, e.do("POST", "/budget-share/", map[string]any{"budget": e.budget, "shared_with": who}, e.creator.token),
				"shared_with", "Can't share with budget creator.")
		}
	})
}

// D11: a read-only sharee may leave, and shares can be listed.
func TestBudgetsD11ShareeLeaves(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		if n := len(budgetResults(t, e.do("GET", "/budget-share/?budget="+e.budget, nil, e.reader.token))); n != 2 {
			t.Fatalf("reader lists %d shares, want 2", n)
		}
		want(t, e.do("DELETE", "/budget-share/"+e.readerShare+"/", nil, e.reader.token), http.StatusNoContent)
		want(t, e.do("GET", "/budgets/"+e.budget+"/", nil, e.reader.token), http.StatusNotFound)
		if n := len(budgetResults(t, e.do("GET", "/budgets/", nil, e.reader.token))); n != 0 {
			t.Fatalf("reader still lists %d budgets", n)
		}
	})
}

// D12: bad input is 400, invisible objects 404, visible-but-forbidden 403; never a 500.
func TestBudgetsD12StatusCodes(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		cat := e.create(t, "/categories/", map[string]any{"budget": e.budget, "name": "C"}, e.creator)
		flow := e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "F", "amount": 1, "type": 1}, e.creator)
		tok := e.stranger.token
		// Another user's objects by id: 404 like missing ones.
		for _, p := range []string{"/categories/" + cat, "/cash-flows/" + flow, "/budget-share/" + e.readerShare, "/budgets/" + e.budget,
			"/categories/" + id.New(), "/cash-flows/" + id.New(), "/budget-share/" + id.New(), "/budgets/" + id.New()} {
			r := e.do("GET", p+"/", nil, tok)
			want(t, r, http.StatusNotFound)
			if r.errorMessage() != "Not found." {
				t.Fatalf("GET %s: %s", p, r.Body)
			}
		}
		// Missing, malformed or non-scalar budget: 400 under budget; well-formed but invisible: 404.
		for _, path := range []string{"/categories/", "/cash-flows/", "/budget-share/"} {
			body := map[string]any{"name": "x", "amount": 1, "type": 1, "shared_with": "carol"}
			wantBudgetField(t, e.do("POST", path, body, tok), "budget", "This field is required.")
			body["budget"] = "not-an-id"
			wantBudgetField(t, e.do("POST", path, body, tok), "budget", `Invalid pk "not-an-id" - object does not exist.`)
			body["budget"] = map[string]any{"id": e.budget}
			wantBudgetField(t, e.do("POST", path, body, tok), "budget", "Not a valid string.")
			body["budget"] = e.budget
			want(t, e.do("POST", path, body, tok), http.StatusNotFound)
		}
		// Query parameter: malformed 400 under the parameter, invisible 404.
		for _, path := range []string{"/categories/", "/cash-flows/", "/budget-share/"} {
			wantBudgetField(t, e.do("GET", path+"?budget=7", nil, tok), "budget", `Invalid pk "7" - object does not exist.`)
			want(t, e.do("GET", path+"?budget="+e.budget, nil, tok), http.StatusNotFound)
		}
		// Non-object JSON bodies: 400.
		for _, body := range []string{`[1]`, `"x"`, `3`} {
			r := e.do("POST", "/cash-flows/", body, e.creator.token)
			want(t, r, http.StatusBadRequest)
		}
		// A category of another budget: 400 under category (S4).
		other := e.create(t, "/budgets/", map[string]any{"name": "O"}, e.stranger)
		foreign := e.create(t, "/categories/", map[string]any{"budget": other, "name": "F"}, e.stranger)
		wantBudgetField(t, e.do("POST", "/cash-flows/", map[string]any{"budget": e.budget, "name": "x", "amount": 1, "type": 1, "category": foreign}, e.creator.token),
			"category", "No such category in budget.")
		wantBudgetField(t, e.do("PATCH", "/cash-flows/"+flow+"/", map[string]any{"category": foreign}, e.creator.token),
			"category", "No such category in budget.")
	})
}

// D13: PATCH with "category": null clears the category.
func TestBudgetsD13PatchNullCategory(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		cat := e.create(t, "/categories/", map[string]any{"budget": e.budget, "name": "C"}, e.editor)
		flow := e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "F", "amount": 1, "type": 1, "category": cat}, e.editor)
		r := e.do("PATCH", "/cash-flows/"+flow+"/", `{"category": null}`, e.editor.token)
		want(t, r, http.StatusOK)
		if v, ok := r.JSON()["category"]; !ok || v != nil {
			t.Fatalf("patch %s, want category null", r.Body)
		}
		// Deleting a category also leaves its cash flows uncategorised.
		e.do("PATCH", "/cash-flows/"+flow+"/", map[string]any{"category": cat}, e.editor.token)
		want(t, e.do("DELETE", "/categories/"+cat+"/", nil, e.editor.token), http.StatusNoContent)
		r = e.do("GET", "/cash-flows/"+flow+"/", nil, e.editor.token)
		if v, ok := r.JSON()["category"]; !ok || v != nil {
			t.Fatalf("after deleting the category: %s", r.Body)
		}
	})
}

// D14: amounts are exact and rendered as 2-place strings, up to 13 digits before the point.
func TestBudgetsD14ExactMoney(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		for _, c := range []struct {
			in   any
			want string
		}{
			{"9999999999999.99", "9999999999999.99"},
			{9999999999999.99, "9999999999999.99"}, // a JSON number is read from its text, not a float64
			{"0.1", "0.10"},
			{7, "7.00"},
		} {
			b := e.create(t, "/budgets/", map[string]any{"name": "B"}, e.creator)
			r := e.do("POST", "/cash-flows/", map[string]any{"budget": b, "name": "x", "amount": c.in, "type": 1}, e.creator.token)
			want(t, r, http.StatusCreated)
			if r.Str("amount") != c.want {
				t.Fatalf("amount %v rendered %v, want %q", c.in, r.JSON()["amount"], c.want)
			}
			tb := e.do("GET", "/budgets/"+b+"/", nil, e.creator.token).JSON()["total_balance"].(map[string]any)
			if tb["incomes"] != c.want || tb["total"] != c.want || tb["expenses"] != "0.00" {
				t.Fatalf("total_balance %v, want incomes %s", tb, c.want)
			}
		}
		// A write that would take a budget's sum beyond 9999999999999.99 is 400 and writes nothing (S21).
		b := e.create(t, "/budgets/", map[string]any{"name": "Full"}, e.creator)
		e.create(t, "/cash-flows/", map[string]any{"budget": b, "name": "x", "amount": "9999999999999.99", "type": 2}, e.creator)
		r := e.do("POST", "/cash-flows/", map[string]any{"budget": b, "name": "y", "amount": "0.01", "type": 2}, e.creator.token)
		wantBudgetField(t, r, "amount", "This amount would take the budget's total beyond 9999999999999.99.")
		if n := e.do("GET", "/cash-flows/?budget="+b, nil, e.creator.token).JSON()["count"]; n != float64(1) {
			t.Fatalf("count = %v after the refused write", n)
		}
	})
}

// D15: zero and negative amounts are refused.
func TestBudgetsD15PositiveAmounts(t *testing.T) {
	eachBudgetsEnv(t, func(t *testing.T, e *budgetsEnv) {
		flow := e.create(t, "/cash-flows/", map[string]any{"budget": e.budget, "name": "F", "amount": 1, "type": 1}, e.editor)
		for _, a := range []any{0, "0.00", "-0.01", -5} {
			wantBudgetField(t, e.do("POST", "/cash-flows/", map[string]any{"budget": e.budget, "name": "x", "amount": a, "type": 1}, e.editor.token),
				"amount", "Ensure this value is greater than or equal to 0.01.")
			wantBudgetField(t, e.do("PATCH", "/cash-flows/"+flow+"/", map[string]any{"amount": a}, e.editor.token),
				"amount", "Ensure this value is greater than or equal to 0.01.")
		}
	})
}
