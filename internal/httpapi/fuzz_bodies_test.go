package httpapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/business"
)

// Body fuzz targets, one per family: (route pattern, form-encoded?, body). Every request body
// the server decodes is in one of these tables (TestFuzzTablesCoverEveryBodyRoute). Each input
// must get a 2xx or a 4xx in the envelope, never a 5xx; an error names only fields the route
// reads; a write's answer is what reading the object back answers.
// Run them for a while with scripts/fuzz (README "Tests").

var (
	budgetKeys   = []string{"name", "description"}
	categoryKeys = []string{"budget", "name", "description"}
	cashFlowKeys = []string{"budget", "category", "name", "description", "amount", "type"}
	shareKeys    = []string{"budget", "shared_with", "role"}
	movementKeys = []string{"type", "quantity", "unit_cost", "unit_price", "description"}
)

var fuzzBudgetsRoutes = []fuzzRoute{
	{pattern: "POST /budgets", path: "/budgets", caller: "creator", keys: budgetKeys, get: "/budgets/{id}"},
	{pattern: "PUT /budgets/{id}", path: "/budgets/$BUDGET", caller: "creator", keys: budgetKeys, get: "/budgets/$BUDGET"},
	{pattern: "PATCH /budgets/{id}", path: "/budgets/$BUDGET/", caller: "creator", keys: budgetKeys, get: "/budgets/$BUDGET"},
	{pattern: "POST /categories", path: "/categories/", caller: "creator", keys: categoryKeys, get: "/categories/{id}"},
	{pattern: "PUT /categories/{id}", path: "/categories/$CATEGORY", caller: "creator", keys: categoryKeys, get: "/categories/$CATEGORY"},
	{pattern: "PATCH /categories/{id}", path: "/categories/$CATEGORY", caller: "creator", keys: categoryKeys, get: "/categories/$CATEGORY"},
	{pattern: "POST /cash-flows", path: "/cash-flows", caller: "creator", keys: cashFlowKeys, get: "/cash-flows/{id}"},
	{pattern: "PUT /cash-flows/{id}", path: "/cash-flows/$FLOW", caller: "creator", keys: cashFlowKeys, get: "/cash-flows/$FLOW"},
	{pattern: "PATCH /cash-flows/{id}", path: "/cash-flows/$FLOW/", caller: "creator", keys: cashFlowKeys, get: "/cash-flows/$FLOW"},
	{pattern: "POST /budget-share", path: "/budget-share", caller: "creator", keys: shareKeys, get: "/budget-share/{id}"},
	{pattern: "PUT /budget-share/{id}", path: "/budget-share/$SHARE", caller: "creator", keys: shareKeys, get: "/budget-share/$SHARE"},
	{pattern: "PATCH /budget-share/{id}", path: "/budget-share/$SHARE", caller: "creator", keys: shareKeys, get: "/budget-share/$SHARE"},
}

var fuzzIdentityRoutes = []fuzzRoute{
	{pattern: "POST /register", path: "/register/", keys: []string{"username", "password", "email"}},
	{pattern: "POST /api/token", path: "/api/token/", keys: []string{"username", "password"}, tokenRoute: true},
	{pattern: "POST /token", path: "/token", keys: []string{"username", "password"}, tokenRoute: true},
	{pattern: "POST /api/token/refresh", path: "/api/token/refresh/", keys: []string{"refresh"}, tokenRoute: true, drift: true},
	{pattern: "POST /token/refresh", path: "/token/refresh", keys: []string{"refresh"}, tokenRoute: true, drift: true},
	{pattern: "POST /api/token/blacklist", path: "/api/token/blacklist/", keys: []string{"refresh"}, tokenRoute: true, drift: true},
	{pattern: "POST /token/blacklist", path: "/token/blacklist", keys: []string{"refresh"}, tokenRoute: true, drift: true},
	{pattern: "POST /api/token/verify", path: "/api/token/verify/", keys: []string{"token"}, tokenRoute: true},
	{pattern: "PATCH /me/preferences", path: "/me/preferences", caller: "user", keys: preferencesKeys, get: "/me/preferences"},
	{pattern: "PATCH /accounts", path: "/accounts", caller: "user", keys: accountKeys, get: "/me", drift: true},
	{pattern: "POST /accounts", path: "/accounts", keys: bizSignUpKeys, unknownInDetails: true},
}

var fuzzBusinessRoutes = []fuzzRoute{
	{pattern: "PATCH /owner", path: "/owner", caller: "owner", keys: []string{"name", "email", "phone"}, get: "/owner"},
	{pattern: "POST /business", path: "/business", caller: "idle", keys: bizBusinessKeys, get: "/business", drift: true},
	{pattern: "PATCH /business", path: "/business", caller: "owner", keys: bizBusinessKeys, get: "/business", drift: true},
	{pattern: "PATCH /business/settings", path: "/business/settings", caller: "owner", keys: []string{"timezone"}, get: "/business/settings"},
	{pattern: "POST /members", path: "/members", caller: "owner", keys: bizMemberKeys, get: "/members/{id}"},
	{pattern: "PATCH /members/{member_id}", path: "/members/$MEMBER", caller: "owner", keys: bizMemberKeys, get: "/members/$MEMBER"},
	{pattern: "POST /contacts/customers", path: "/contacts/customers", caller: "owner", keys: bizContactKeys[business.CustomerKind], get: "/contacts/customers/{id}"},
	{pattern: "PATCH /contacts/customers/{contact_id}", path: "/contacts/customers/$CUSTOMER", caller: "owner", keys: bizContactKeys[business.CustomerKind], get: "/contacts/customers/$CUSTOMER"},
	{pattern: "POST /contacts/suppliers", path: "/contacts/suppliers", caller: "owner", keys: bizContactKeys[business.SupplierKind], get: "/contacts/suppliers/{id}"},
	{pattern: "PATCH /contacts/suppliers/{contact_id}", path: "/contacts/suppliers/$SUPPLIER", caller: "owner", keys: bizContactKeys[business.SupplierKind], get: "/contacts/suppliers/$SUPPLIER"},
}

var fuzzFinanceRoutes = []fuzzRoute{
	{pattern: "POST /finance/accounts", path: "/finance/accounts", caller: "owner", keys: []string{"name", "is_active"}, get: "/finance/accounts/{id}"},
	{pattern: "PATCH /finance/accounts/{account_id}", path: "/finance/accounts/$ACCOUNT", caller: "owner", keys: []string{"name", "is_active"}, get: "/finance/accounts/$ACCOUNT"},
	{pattern: "POST /finance/categories", path: "/finance/categories", caller: "owner", keys: []string{"name", "parent", "is_active"}, get: "/finance/categories/{id}"},
	{pattern: "PATCH /finance/categories/{category_id}", path: "/finance/categories/$FINCAT", caller: "owner", keys: []string{"name", "parent", "is_active"}, get: "/finance/categories/$FINCAT"},
	{pattern: "POST /finance/transactions", path: "/finance/transactions", caller: "owner", keys: finTransactionKeys, get: "/finance/transactions/{id}"},
}

var fuzzBillingRoutes = []fuzzRoute{
	{pattern: "POST /receivables", path: "/receivables", caller: "owner", keys: billKeys, get: "/receivables/{id}"},
	{pattern: "PATCH /receivables/{receivable_id}", path: "/receivables/$RECEIVABLE", caller: "owner", keys: billKeys, get: "/receivables/$RECEIVABLE"},
	{pattern: "POST /receivables/{receivable_id}/settle", path: "/receivables/$RECEIVABLE/settle", caller: "owner", keys: billSettleKeys, get: "/finance/transactions/{id}"},
	{pattern: "POST /payables", path: "/payables", caller: "owner", keys: billKeys, get: "/payables/{id}"},
	{pattern: "PATCH /payables/{payable_id}", path: "/payables/$PAYABLE", caller: "owner", keys: billKeys, get: "/payables/$PAYABLE"},
	{pattern: "POST /payables/{payable_id}/settle", path: "/payables/$PAYABLE/settle", caller: "owner", keys: billSettleKeys, get: "/finance/transactions/{id}"},
}

var fuzzProductsRoutes = []fuzzRoute{
	{pattern: "POST /products", path: "/products", caller: "owner", keys: prodKeys, get: "/products/{id}"},
	{pattern: "PATCH /products/{product_id}", path: "/products/$PRODUCT", caller: "owner", keys: prodKeys, get: "/products/$PRODUCT"},
	{pattern: "POST /products/categories", path: "/products/categories", caller: "owner", keys: []string{"name", "parent", "is_active"}, get: "/products/categories/{id}"},
	{pattern: "PATCH /products/categories/{category_id}", path: "/products/categories/$PRODCAT", caller: "owner", keys: []string{"name", "parent", "is_active"}, get: "/products/categories/$PRODCAT"},
	{pattern: "POST /products/{product_id}/costs", path: "/products/$PRODUCT/costs", caller: "owner", keys: prodCostKeys, get: "/products/$PRODUCT/costs/{id}"},
	{pattern: "PATCH /products/{product_id}/costs/{cost_id}", path: "/products/$PRODUCT/costs/$COST", caller: "owner", keys: prodCostKeys, get: "/products/$PRODUCT/costs/$COST"},
	{pattern: "PATCH /products/inventory/{inventory_id}", path: "/products/inventory/$INVENTORY", caller: "owner", keys: append([]string{"location"}, invReadOnly...), get: "/products/inventory/$INVENTORY"},
	{pattern: "POST /products/inventory/{inventory_id}/transactions", path: "/products/inventory/$INVENTORY/transactions", caller: "owner", keys: movementKeys, get: "/products/inventory/transactions/{id}"},
	{pattern: "PATCH /products/inventory/transactions/{transaction_id}", path: "/products/inventory/transactions/$MOVEMENT", caller: "owner", keys: movementKeys, get: "/products/inventory/transactions/$MOVEMENT"},
}

// fuzzBodies is the shared body of the family targets: seeds in code (the committed corpus
// under testdata/fuzz adds the tricky ones), then the checks of fuzzEnv.fuzzBody.
func fuzzBodies(f *testing.F, routes []fuzzRoute, build func(*fuzzEnv), seeds map[string][]string) {
	for _, rt := range routes {
		f.Add(rt.pattern, false, `{}`)
		for _, s := range seeds[rt.pattern] {
			f.Add(rt.pattern, false, s)
		}
	}
	e := newFuzzEnv(f, build)
	f.Fuzz(func(t *testing.T, route string, form bool, body string) {
		e.fuzzBody(t, routes, route, form, body)
	})
}

func FuzzBudgetsBodies(f *testing.F) {
	fuzzBodies(f, fuzzBudgetsRoutes, buildBudgets, map[string][]string{
		"POST /budgets":            {`{"name":"Trip","description":"  x  "}`},
		"PUT /budgets/{id}":        {`{"name":"Home 2"}`},
		"POST /categories":         {`{"budget":"$BUDGET","name":"Rent"}`},
		"POST /cash-flows":         {`{"budget":"$BUDGET","category":"$CATEGORY","name":"Rent","amount":"12.50","type":2}`},
		"PATCH /cash-flows/{id}":   {`{"amount":1e3}`, `{"category":null}`},
		"POST /budget-share":       {`{"budget":"$BUDGET","shared_with":"$OTHER_NAME","role":2}`},
		"PATCH /budget-share/{id}": {`{"role":"2"}`},
	})
}

func FuzzIdentityBodies(f *testing.F) {
	fuzzBodies(f, fuzzIdentityRoutes, buildIdentity, map[string][]string{
		"POST /register":            {`{"username":"newbie","password":"$PASSWORD","email":"newbie@example.com"}`},
		"POST /api/token":           {`{"username":"$USERNAME","password":"$PASSWORD"}`},
		"POST /api/token/refresh":   {`{"refresh":"$REFRESH"}`},
		"POST /api/token/blacklist": {`{"refresh":"$REFRESH"}`},
		"POST /api/token/verify":    {`{"token":"$ACCESS"}`, `{"token":"$REFRESH"}`},
		"PATCH /me/preferences":     {`{"get_notification":true}`},
		"PATCH /accounts":           {`{"name":"Renamed"}`},
		"POST /accounts":            {`{"name":"Olga","email":"olga@example.com","username":"olga","password":"$PASSWORD"}`},
	})
}

func FuzzBusinessBodies(f *testing.F) {
	fuzzBodies(f, fuzzBusinessRoutes, buildBusiness, map[string][]string{
		"PATCH /owner":             {`{"phone":"11999990000"}`},
		"POST /business":           {`{"legal_name":"Beta Ltda","trade_name":"Beta","cnpj":"12345678000199"}`},
		"PATCH /business/settings": {`{"timezone":"America/Recife"}`},
		"POST /members":            {`{"name":"Ana","phone":"11988887777","salary":"1500.00","hire_date":"2025-01-02"}`},
		"POST /contacts/customers": {`{"name":"Joana","email":"j@example.com","is_active":"True"}`},
		"POST /contacts/suppliers": {`{"legal_name":"Forn SA","cnpj":"1"}`},
	})
}

func FuzzFinanceBodies(f *testing.F) {
	fuzzBodies(f, fuzzFinanceRoutes, buildBusiness, map[string][]string{
		"POST /finance/accounts":   {`{"name":"Savings"}`},
		"POST /finance/categories": {`{"name":"Rent","parent":"$FINCAT"}`},
		"POST /finance/transactions": {`{"type":"debit","amount":"10.00","account":"$ACCOUNT","category":"$FINCAT","contact":"$SUPPLIER"}`,
			`{"type":"transfer","amount":"5","account":"$ACCOUNT","send_to":"$ACCOUNT2"}`},
	})
}

func FuzzBillingBodies(f *testing.F) {
	fuzzBodies(f, fuzzBillingRoutes, buildBusiness, map[string][]string{
		"POST /receivables":                        {`{"contact":"$CUSTOMER","issued_at":"2025-06-01","due_at":"2025-07-01","total_amount":"99.99","recurrence":"monthly","installment_count":3}`},
		"PATCH /payables/{payable_id}":             {`{"notes":"n","due_at":"2031-02-28"}`},
		"POST /receivables/{receivable_id}/settle": {`{"amount":"10.00","account":"$ACCOUNT"}`},
	})
}

func FuzzProductsBodies(f *testing.F) {
	fuzzBodies(f, fuzzProductsRoutes, buildBusiness, map[string][]string{
		"POST /products":                                       {`{"name":"Ink","cost_price":"1.10","retail_price":"2.00","supplier":["$SUPPLIER"],"category":"$PRODCAT"}`},
		"POST /products/{product_id}/costs":                    {`{"quantity":2,"effective_date":"2025-07-01","cost_price":"3","retail_price":"4","markup":""}`},
		"POST /products/inventory/{inventory_id}/transactions": {`{"type":"outbound","quantity":1,"unit_price":"2.00"}`},
		"PATCH /products/inventory/{inventory_id}":             {`{"location":"Shelf 2"}`},
	})
}

// TestFuzzTablesCoverEveryBodyRoute: every route that may read a body (POST, PUT, PATCH) is in
// one family's fuzz table, so a new route cannot go unfuzzed.
func TestFuzzTablesCoverEveryBodyRoute(t *testing.T) {
	covered := map[string]bool{}
	for _, table := range [][]fuzzRoute{fuzzBudgetsRoutes, fuzzIdentityRoutes, fuzzBusinessRoutes, fuzzFinanceRoutes,
		fuzzBillingRoutes, fuzzProductsRoutes} {
		for _, rt := range table {
			covered[rt.pattern] = true
		}
	}
	s := New(Config{}, Deps{})
	for _, p := range s.routes {
		method, _, _ := strings.Cut(p, " ")
		if slices.Contains([]string{"POST", "PUT", "PATCH"}, method) && !covered[p] {
			t.Errorf("route %q reads a body but no fuzz table has it (fuzz_bodies_test.go)", p)
		}
		delete(covered, p)
	}
	for p := range covered {
		t.Errorf("fuzz table has %q, which is not a route", p)
	}
}
