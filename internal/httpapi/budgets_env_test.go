package httpapi

import (
	"net/http"
	"slices"
	"testing"

	"github.com/bursar/bursar/internal/id"
)

// budgetsEnv is a server with one budget of alice, shared with bob (editor) and carol
// (read-only); mallory is a stranger. Everything is set up through the API.
type budgetsEnv struct {
	*testEnv
	creator, editor, reader, stranger budgetUser
	budget                            string
	editorShare, readerShare          string
}

type budgetUser struct{ id, token string }

func eachBudgetsEnv(t *testing.T, fn func(t *testing.T, e *budgetsEnv)) {
	eachServer(t, func(t *testing.T, te *testEnv) {
		e := &budgetsEnv{testEnv: te}
		for _, u := range []struct {
			p    *budgetUser
			name string
		}{{&e.creator, "alice"}, {&e.editor, "bob"}, {&e.reader, "carol"}, {&e.stranger, "mallory"}} {
			u.p.id, u.p.token = te.signUp(u.name)
		}
		e.budget = e.create(t, "/budgets/", map[string]any{"name": "Home"}, e.creator)
		e.editorShare = e.create(t, "/budget-share/", map[string]any{"budget": e.budget, "shared_with": "bob", "role": 1}, e.creator)
		e.readerShare = e.create(t, "/budget-share/", map[string]any{"budget": e.budget, "shared_with": "carol"}, e.creator)
		fn(t, e)
	})
}

// create POSTs a JSON body as u, expects 201 and returns the new id.
func (e *budgetsEnv) create(t *testing.T, path string, body map[string]any, u budgetUser) string {
	t.Helper()
	r := e.do("POST", path, body, u.token)
	want(t, r, http.StatusCreated)
	if !id.Valid(r.Str("id")) {
		t.Fatalf("POST %s answered %s; want an id", path, r.Body)
	}
	return r.Str("id")
}

// wantKeys fails unless the JSON object m has exactly these keys.
func wantBudgetKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	keys = slices.Clone(keys)
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Fatalf("%s keys = %v, want %v", what, got, keys)
	}
}

// wantDetail fails unless r is a 400 with msg under field.
func wantBudgetField(t *testing.T, r *resp, field, msg string) {
	t.Helper()
	want(t, r, http.StatusBadRequest)
	msgs, _ := r.details()[field].([]any)
	if !slices.Contains(msgs, any(msg)) {
		t.Fatalf("details = %s; want %q under %s", r.Body, msg, field)
	}
}

// results returns the results of a list page.
func budgetResults(t *testing.T, r *resp) []map[string]any {
	t.Helper()
	want(t, r, http.StatusOK)
	raw, ok := r.JSON()["results"].([]any)
	if !ok {
		t.Fatalf("no results in %s", r.Body)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, v := range raw {
		out = append(out, v.(map[string]any))
	}
	return out
}

func budgetIDs(items []map[string]any) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it["id"].(string))
	}
	return out
}
