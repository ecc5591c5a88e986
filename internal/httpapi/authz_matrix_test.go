package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/store/sqlstore"
)

// The authorization matrix: every route of the route table, every method, run as every kind of
// caller, on both databases (issue 7, OWASP API1/API5: broken object and function level
// authorization). A refused call must answer its exact status and change nothing in the
// database; an allowed one must get past authorization (2xx, or 400 for the deliberately empty
// body of a write). A route added to the server without an entry here fails the test.

// The caller kinds.
const (
	cAnon      = "anonymous"
	cCreator   = "budget creator"
	cEditor    = "editor sharee"
	cReader    = "read-only sharee"
	cStranger  = "stranger"
	cOwner     = "business owner"
	cMember    = "member with access"
	cRevoked   = "member without access" // access removed by the owner: the login is deactivated, tokens die
	cOther     = "owner of another business"
	cIdle      = "owner without a business"
	cInactive  = "deactivated user"
	allowedAny = 0 // in an expectation: past authorization
)

var matrixCallers = []string{cAnon, cCreator, cEditor, cReader, cStranger, cOwner, cMember, cRevoked, cOther, cIdle, cInactive}

// matrixWorld holds one object of every kind, and a token per caller kind.
type matrixWorld struct {
	w      *bizWorld
	tokens map[string]string
	ids    map[string]string // object kind → id
}

func newMatrixWorld(t *testing.T, e *testEnv) *matrixWorld {
	t.Helper()
	w := newBizWorld(t, e)
	m := &matrixWorld{w: w, ids: map[string]string{}}
	n := bizUniq()
	creatorID, creator := e.signUp("cre" + n)
	_ = creatorID
	editorID, editor := e.signUp("edi" + n)
	readerID, reader := e.signUp("rea" + n)
	_, inactive := e.ownerSignUp("ina" + n)
	// A member whose access the owner then removes keeps a token that must stop working.
	_, _, revoked, _ := e.newMember(w.owner, "rev"+n)
	m.tokens = map[string]string{cAnon: "", cCreator: creator, cEditor: editor, cReader: reader,
		cStranger: w.plain, cOwner: w.owner, cMember: w.member, cRevoked: revoked, cOther: w.other,
		cIdle: w.idle, cInactive: inactive}
	r := e.do("GET", "/members", nil, w.owner)
	for _, mem := range bizResults(t, r, "member") {
		if strings.HasPrefix(mem["name"].(string), "rev") {
			want(t, e.do("PATCH", "/members/"+mem["id"].(string), map[string]any{"has_access": false}, w.owner), http.StatusOK)
		}
	}
	want(t, e.do("DELETE", "/accounts", nil, inactive), http.StatusOK)

	// Budgets: a budget with a category and a cash flow, shared with an editor and a reader.
	m.ids["budget"] = m.create(t, creator, "/budgets/", map[string]any{"name": "Home"}, "")
	m.ids["category"] = m.create(t, creator, "/categories/", map[string]any{"budget": m.ids["budget"], "name": "Food"}, "")
	m.ids["cash-flow"] = m.create(t, creator, "/cash-flows/", map[string]any{"budget": m.ids["budget"], "name": "Pay",
		"amount": "10.00", "type": 1}, "")
	m.ids["editor-share"] = m.create(t, creator, "/budget-share/", map[string]any{"budget": m.ids["budget"], "shared_with": editorID, "role": 1}, "")
	m.ids["reader-share"] = m.create(t, creator, "/budget-share/", map[string]any{"budget": m.ids["budget"], "shared_with": readerID, "role": 2}, "")
	// The share the delete route removes: of a third sharee, so editor and reader keep theirs.
	leaverID, _ := e.signUp("lea" + n)
	m.ids["leaver-share"] = m.create(t, creator, "/budget-share/", map[string]any{"budget": m.ids["budget"], "shared_with": leaverID, "role": 2}, "")

	// Business: one object of every kind in the owner's business.
	m.ids["member"] = w.memberID
	// The member the delete route removes (its login dies with it), not the one calling.
	m.ids["leaving-member"], _, _, _ = e.newMember(w.owner, "lm"+n)
	m.ids["customer"] = m.create(t, w.owner, "/contacts/customers", map[string]any{"name": "Maria"}, "customer")
	m.ids["supplier"] = m.create(t, w.owner, "/contacts/suppliers", map[string]any{"legal_name": "Forn " + n}, "supplier")
	m.ids["account"] = m.create(t, w.owner, "/finance/accounts", map[string]any{"name": "Bank"}, "account")
	m.ids["fin-category"] = m.create(t, w.owner, "/finance/categories", map[string]any{"name": "Sales"}, "category")
	m.ids["transaction"] = m.create(t, w.owner, "/finance/transactions", map[string]any{"type": "credit", "amount": "50.00",
		"account": m.ids["account"], "description": "Sale"}, "transaction")
	m.ids["product"] = w.prodNew(w.owner, "Pen "+n, map[string]any{"stock": 10})["id"].(string)
	m.ids["prod-category"] = w.prodCategory(w.owner, "Office "+n, "")
	m.ids["cost"] = m.create(t, w.owner, "/products/"+m.ids["product"]+"/costs", map[string]any{"quantity": 1,
		"effective_date": "2025-06-01", "cost_price": "1", "retail_price": "2"}, "cost")
	m.ids["inventory"] = w.prodInventory(w.owner, m.ids["product"])
	m.ids["movement"] = m.create(t, w.owner, "/products/inventory/"+m.ids["inventory"]+"/transactions",
		map[string]any{"type": "inbound", "quantity": 1}, "transaction")
	m.ids["receivable"] = w.newPayment(t, w.owner, "/receivables", payBody(m.ids["customer"], "2030-01-10", nil))["id"].(string)
	m.ids["payable"] = w.newPayment(t, w.owner, "/payables", payBody(m.ids["supplier"], "2030-01-10", nil))["id"].(string)
	return m
}

// create POSTs body and returns the new object's id (wrapped under key, or bare when key is "").
func (m *matrixWorld) create(t *testing.T, token, path string, body map[string]any, key string) string {
	t.Helper()
	r := m.w.e.do("POST", path, body, token)
	want(t, r, http.StatusCreated)
	if key == "" {
		return r.Str("id")
	}
	return bizObj(r, key)["id"].(string)
}

// expectation says how each caller fares on a route; callers left out are refused as the
// class's default says.
type expectation map[string]int

// The classes of routes, by who may call them.
func sysRoute() expectation { // operational: anyone, no token needed
	e := expectation{}
	for _, c := range matrixCallers {
		e[c] = allowedAny
	}
	return e
}

func publicWrite() expectation { // sign-up, sign-in, tokens: anyone; the empty body is 400
	e := expectation{}
	for _, c := range matrixCallers {
		e[c] = http.StatusBadRequest
	}
	return e
}

func anyUser() expectation { // any signed-in, active user
	return expectation{cAnon: 401, cInactive: 401, cRevoked: 401, cCreator: allowedAny, cEditor: allowedAny, cReader: allowedAny,
		cStranger: allowedAny, cOwner: allowedAny, cMember: allowedAny, cOther: allowedAny, cIdle: allowedAny}
}

// budgetObject: the budget's own objects. read: sharees read; write: who writes (creator, and
// editor for categories and cash flows); everyone else cannot see it (404), sharees who may not
// write get 403.
func budgetObject(writers ...string) expectation {
	e := anyUser()
	for _, c := range []string{cStranger, cOwner, cMember, cOther, cIdle} {
		e[c] = http.StatusNotFound
	}
	for _, c := range []string{cCreator, cEditor, cReader} {
		if len(writers) > 0 && !slices.Contains(writers, c) {
			e[c] = http.StatusForbidden
		}
	}
	return e
}

// bizRoute: staff (owner and members with access) or the owner only, on a list or create
// (object=false: the other owner acts on their own business) or on an object of the owner's
// business (object=true: 404 for the other owner).
func bizRoute(ownerOnly, object bool) expectation {
	e := expectation{cAnon: 401, cInactive: 401, cCreator: 403, cEditor: 403, cReader: 403, cStranger: 403,
		cRevoked: 401, cIdle: http.StatusNotFound, cOwner: allowedAny, cMember: allowedAny, cOther: allowedAny}
	if ownerOnly {
		e[cMember] = 403
	}
	if object {
		e[cOther] = http.StatusNotFound
	}
	return e
}

// ownerRecord: routes of the owner record itself (/owner, DELETE /accounts): any owner.
func ownerRecord() expectation {
	e := bizRoute(true, false)
	e[cIdle] = allowedAny
	return e
}

// matrixRoute is one entry: the path to call and the expectations per caller.
type matrixRoute struct {
	path   string
	expect expectation
	// body of a write, for routes whose authorization depends on what it names (nil: {})
	body map[string]any
}

func (m *matrixWorld) routes() map[string]matrixRoute {
	id := m.ids
	budget, cat, cf := "/budgets/"+id["budget"], "/categories/"+id["category"], "/cash-flows/"+id["cash-flow"]
	share := "/budget-share/" + id["editor-share"]
	names := map[string]any{"budget": id["budget"]}
	staff, staffObj, own, ownObj := bizRoute(false, false), bizRoute(false, true), bizRoute(true, false), bizRoute(true, true)
	createBiz := bizRoute(true, false)
	createBiz[cIdle], createBiz[cStranger], createBiz[cCreator], createBiz[cEditor], createBiz[cReader] = allowedAny, allowedAny, allowedAny, allowedAny, allowedAny
	p, inv := "/products/"+id["product"], "/products/inventory/"+id["inventory"]
	rt := map[string]matrixRoute{
		"GET /healthz": {"/healthz", sysRoute(), nil}, "GET /readyz": {"/readyz", sysRoute(), nil},
		"GET /metrics": {"/metrics", sysRoute(), nil}, "GET /openapi.yaml": {"/openapi.yaml", sysRoute(), nil},
		"POST /register": {"/register/", publicWrite(), nil}, "POST /api/token": {"/api/token/", publicWrite(), nil},
		"POST /api/token/refresh": {"/api/token/refresh/", publicWrite(), nil}, "POST /api/token/blacklist": {"/api/token/blacklist/", publicWrite(), nil},
		"POST /token": {"/token", publicWrite(), nil}, "POST /token/refresh": {"/token/refresh", publicWrite(), nil},
		"POST /token/blacklist": {"/token/blacklist", publicWrite(), nil}, "POST /api/token/verify": {"/api/token/verify/", publicWrite(), nil},
		"POST /accounts": {"/accounts", publicWrite(), nil},
		"GET /me":        {"/me", anyUser(), nil}, "GET /me/preferences": {"/me/preferences", anyUser(), nil},
		"PATCH /me/preferences": {"/me/preferences", anyUser(), nil}, "PATCH /accounts": {"/accounts", anyUser(), nil},

		"GET /budgets": {"/budgets/", anyUser(), nil}, "POST /budgets": {"/budgets/", anyUser(), nil},
		"GET /budgets/{id}": {budget, budgetObject(), nil}, "PUT /budgets/{id}": {budget, budgetObject(cCreator), nil},
		"PATCH /budgets/{id}": {budget, budgetObject(cCreator), nil}, "DELETE /budgets/{id}": {budget, budgetObject(cCreator), nil},
		"GET /categories": {"/categories/", anyUser(), nil}, "POST /categories": {"/categories/", budgetObject(cCreator, cEditor), names},
		"GET /categories/{id}": {cat, budgetObject(), nil}, "PUT /categories/{id}": {cat, budgetObject(cCreator, cEditor), nil},
		"PATCH /categories/{id}": {cat, budgetObject(cCreator, cEditor), nil}, "DELETE /categories/{id}": {cat, budgetObject(cCreator, cEditor), nil},
		"GET /cash-flows": {"/cash-flows/", anyUser(), nil}, "POST /cash-flows": {"/cash-flows/", budgetObject(cCreator, cEditor), names},
		"GET /cash-flows/{id}": {cf, budgetObject(), nil}, "PUT /cash-flows/{id}": {cf, budgetObject(cCreator, cEditor), nil},
		"PATCH /cash-flows/{id}": {cf, budgetObject(cCreator, cEditor), nil}, "DELETE /cash-flows/{id}": {cf, budgetObject(cCreator, cEditor), nil},
		"GET /budget-share": {"/budget-share/", anyUser(), nil}, "POST /budget-share": {"/budget-share/", budgetObject(cCreator), names},
		"GET /budget-share/{id}": {share, budgetObject(), nil}, "PUT /budget-share/{id}": {share, budgetObject(cCreator), nil},
		"PATCH /budget-share/{id}": {share, budgetObject(cCreator), nil}, "DELETE /budget-share/{id}": {"/budget-share/" + id["leaver-share"], budgetObject(cCreator), nil},

		"DELETE /accounts": {"/accounts", ownerRecord(), nil}, "GET /owner": {"/owner", ownerRecord(), nil},
		"PATCH /owner":  {"/owner", ownerRecord(), nil},
		"GET /business": {"/business", own, nil}, "POST /business": {"/business", createBiz, nil},
		"PATCH /business": {"/business", own, nil}, "DELETE /business": {"/business", own, nil},
		"GET /business/settings": {"/business/settings", own, nil}, "PATCH /business/settings": {"/business/settings", own, nil},
		"GET /members": {"/members", own, nil}, "POST /members": {"/members", own, nil},
		"GET /members/{member_id}": {"/members/" + id["member"], ownObj, nil}, "PATCH /members/{member_id}": {"/members/" + id["member"], ownObj, nil},
		"DELETE /members/{member_id}": {"/members/" + id["leaving-member"], ownObj, nil},
		"GET /contacts":               {"/contacts", staff, nil},
		"GET /contacts/customers":     {"/contacts/customers", staff, nil}, "POST /contacts/customers": {"/contacts/customers", staff, nil},
		"GET /contacts/customers/{contact_id}":    {"/contacts/customers/" + id["customer"], staffObj, nil},
		"PATCH /contacts/customers/{contact_id}":  {"/contacts/customers/" + id["customer"], staffObj, nil},
		"DELETE /contacts/customers/{contact_id}": {"/contacts/customers/" + id["customer"], staffObj, nil},
		"GET /contacts/suppliers":                 {"/contacts/suppliers", staff, nil}, "POST /contacts/suppliers": {"/contacts/suppliers", staff, nil},
		"GET /contacts/suppliers/{contact_id}":    {"/contacts/suppliers/" + id["supplier"], staffObj, nil},
		"PATCH /contacts/suppliers/{contact_id}":  {"/contacts/suppliers/" + id["supplier"], staffObj, nil},
		"DELETE /contacts/suppliers/{contact_id}": {"/contacts/suppliers/" + id["supplier"], staffObj, nil},
		"GET /finance/accounts":                   {"/finance/accounts", own, nil}, "POST /finance/accounts": {"/finance/accounts", own, nil},
		"GET /finance/accounts/{account_id}":    {"/finance/accounts/" + id["account"], ownObj, nil},
		"PATCH /finance/accounts/{account_id}":  {"/finance/accounts/" + id["account"], ownObj, nil},
		"DELETE /finance/accounts/{account_id}": {"/finance/accounts/" + id["account"], ownObj, nil},
		"GET /finance/categories":               {"/finance/categories", staff, nil}, "POST /finance/categories": {"/finance/categories", staff, nil},
		"GET /finance/categories/{category_id}":    {"/finance/categories/" + id["fin-category"], staffObj, nil},
		"PATCH /finance/categories/{category_id}":  {"/finance/categories/" + id["fin-category"], staffObj, nil},
		"DELETE /finance/categories/{category_id}": {"/finance/categories/" + id["fin-category"], staffObj, nil},
		"GET /finance/transactions":                {"/finance/transactions", staff, nil}, "POST /finance/transactions": {"/finance/transactions", staff, nil},
		"GET /finance/transactions/{transaction_id}":    {"/finance/transactions/" + id["transaction"], staffObj, nil},
		"DELETE /finance/transactions/{transaction_id}": {"/finance/transactions/" + id["transaction"], staffObj, nil},
		"GET /products": {"/products", staff, nil}, "POST /products": {"/products", staff, nil},
		"GET /products/{product_id}": {p, staffObj, nil}, "PATCH /products/{product_id}": {p, staffObj, nil},
		"DELETE /products/{product_id}": {p, staffObj, nil},
		"GET /products/categories":      {"/products/categories", staff, nil}, "POST /products/categories": {"/products/categories", staff, nil},
		"GET /products/categories/{category_id}":    {"/products/categories/" + id["prod-category"], staffObj, nil},
		"PATCH /products/categories/{category_id}":  {"/products/categories/" + id["prod-category"], staffObj, nil},
		"DELETE /products/categories/{category_id}": {"/products/categories/" + id["prod-category"], staffObj, nil},
		"GET /products/{product_id}/costs":          {p + "/costs", staffObj, nil}, "POST /products/{product_id}/costs": {p + "/costs", staffObj, nil},
		"GET /products/{product_id}/costs/{cost_id}":    {p + "/costs/" + id["cost"], staffObj, nil},
		"PATCH /products/{product_id}/costs/{cost_id}":  {p + "/costs/" + id["cost"], staffObj, nil},
		"DELETE /products/{product_id}/costs/{cost_id}": {p + "/costs/" + id["cost"], staffObj, nil},
		"GET /products/inventory":                       {"/products/inventory", own, nil},
		"GET /products/inventory/{inventory_id}":        {inv, ownObj, nil}, "PATCH /products/inventory/{inventory_id}": {inv, ownObj, nil},
		"GET /products/inventory/{inventory_id}/transactions":      {inv + "/transactions", ownObj, nil},
		"POST /products/inventory/{inventory_id}/transactions":     {inv + "/transactions", ownObj, map[string]any{"type": "inbound", "quantity": 1}},
		"GET /products/inventory/transactions/{transaction_id}":    {"/products/inventory/transactions/" + id["movement"], ownObj, nil},
		"PATCH /products/inventory/transactions/{transaction_id}":  {"/products/inventory/transactions/" + id["movement"], ownObj, nil},
		"DELETE /products/inventory/transactions/{transaction_id}": {"/products/inventory/transactions/" + id["movement"], ownObj, nil},
	}
	for kind, base := range map[string]string{"receivable": "/receivables", "payable": "/payables"} {
		one := base + "/" + id[kind]
		rt["GET "+base] = matrixRoute{base, staff, nil}
		rt["POST "+base] = matrixRoute{base, staff, nil}
		for _, method := range []string{"GET", "PATCH", "DELETE"} {
			rt[method+" "+base+"/{"+kind+"_id}"] = matrixRoute{one, staffObj, nil}
		}
		rt["POST "+base+"/{"+kind+"_id}/settle"] = matrixRoute{one + "/settle", staffObj, nil}
	}
	return rt
}

// snapshot renders every application table's rows, to prove a refused call wrote nothing.
// Sessions are left out: any authenticated request may note its session's use.
func snapshot(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.Engine() == sqlstore.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	rows, err := db.Reader().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "river_") && name != "goose_db_version" && name != "sessions" {
			tables = append(tables, name)
		}
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		fmt.Fprintf(&b, "== %s\n", table)
		rs, err := db.Reader().QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteByte('\n')
		}
		rs.Close()
	}
	return b.String()
}

// matrixDeleteOrder is the order of the delete routes in the matrix.
var matrixDeleteOrder = []string{
	"DELETE /cash-flows/{id}", "DELETE /categories/{id}", "DELETE /budget-share/{id}", "DELETE /budgets/{id}",
	"DELETE /finance/transactions/{transaction_id}", "DELETE /products/inventory/transactions/{transaction_id}",
	"DELETE /products/{product_id}/costs/{cost_id}", "DELETE /receivables/{receivable_id}", "DELETE /payables/{payable_id}",
	"DELETE /products/{product_id}", "DELETE /products/categories/{category_id}", "DELETE /finance/categories/{category_id}",
	"DELETE /contacts/customers/{contact_id}", "DELETE /contacts/suppliers/{contact_id}",
	"DELETE /finance/accounts/{account_id}", "DELETE /members/{member_id}", "DELETE /business", "DELETE /accounts",
}

func TestAuthorizationMatrix(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		m := newMatrixWorld(t, e)
		table := m.routes()
		s := New(Config{}, Deps{DB: e.db, Auth: e.auth, Log: suiteLogger()})
		var missing []string
		for _, pattern := range s.routes {
			if !strings.Contains(pattern, " ") {
				continue // the products dispatcher's mux entries; its routes are listed one by one
			}
			if _, ok := table[pattern]; !ok {
				missing = append(missing, pattern)
			}
		}
		if len(missing) > 0 {
			t.Fatalf("routes without an authorization matrix entry: %v", missing)
		}
		// Deletes last, children before parents and members, the business and the owner's own
		// account at the very end: an allowed delete removes or deactivates what others use.
		var patterns, deletes []string
		for _, p := range s.routes {
			if strings.HasPrefix(p, "DELETE ") {
				deletes = append(deletes, p)
			} else if strings.Contains(p, " ") {
				patterns = append(patterns, p)
			}
		}
		rank := func(p string) int { return slices.Index(matrixDeleteOrder, p) }
		slices.SortStableFunc(deletes, func(a, b string) int { return rank(a) - rank(b) })
		for _, p := range deletes {
			if rank(p) < 0 {
				t.Fatalf("%s is missing from matrixDeleteOrder", p)
			}
		}
		patterns = append(patterns, deletes...)
		for _, pattern := range patterns {
			entry, ok := table[pattern]
			if !ok {
				continue
			}
			method := strings.Fields(pattern)[0]
			t.Run(pattern, func(t *testing.T) {
				body := func() any {
					if method == "GET" || method == "DELETE" {
						return nil
					}
					if entry.body != nil {
						return entry.body
					}
					if entry.expect[cAnon] != http.StatusUnauthorized {
						return map[string]any{} // public: the empty body is 400
					}
					// A read-only key, accepted and ignored: the body is neither empty nor
					// invalid, so the object is looked up and authorization decides.
					return map[string]any{"id": "01AAAAAAAAAAAAAAAAAAAAAAAA"}
				}
				// Refused callers first, checking nothing changed; then the allowed ones.
				before := snapshot(t, e.db)
				var allowed []string
				for _, c := range matrixCallers {
					st, ok := entry.expect[c]
					if !ok {
						t.Fatalf("no expectation for %s", c)
					}
					if st != http.StatusUnauthorized && st != http.StatusForbidden && st != http.StatusNotFound {
						allowed = append(allowed, c)
						continue
					}
					r := e.do(method, entry.path, body(), m.tokens[c])
					if r.Status != st {
						t.Errorf("%s: %d, want %d; body %.200s", c, r.Status, st, r.Body)
					}
				}
				if after := snapshot(t, e.db); after != before {
					t.Errorf("refused calls changed the database")
				}
				for _, c := range allowed {
					if method == "DELETE" && c != allowed[0] {
						break // the first allowed caller deleted it
					}
					r := e.do(method, entry.path, body(), m.tokens[c])
					st := entry.expect[c]
					switch {
					case st != allowedAny && r.Status != st:
						t.Errorf("%s: %d, want %d; body %.200s", c, r.Status, st, r.Body)
					case st == allowedAny && !(r.Status < 300 || r.Status == http.StatusBadRequest):
						t.Errorf("%s: %d, want past authorization (2xx, or 400 for the empty body); body %.200s", c, r.Status, r.Body)
					}
				}
			})
		}
	})
}
