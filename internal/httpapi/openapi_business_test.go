package httpapi

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Conformance of the Business family (business-api.md §2, routes 4–41) with openapi.yaml: every
// route is driven through the real server, successes and the main errors (401, 403, 404, 400
// with invalid, 405), and every response is validated with checkOpenAPI.

// wantMessage fails unless r is an error envelope with message msg.
func (r *oaResp) wantMessage(t *testing.T, msg string) *oaResp {
	t.Helper()
	e, _ := r.json()["error"].(map[string]any)
	if got, _ := e["message"].(string); got != msg {
		t.Errorf("error message %q, want %q (%s)", got, msg, r.Body)
	}
	return r
}

// wantInvalid fails unless r is 400 Required parameter missing or invalid. naming exactly names
// under invalid (business-api.md §1.11).
func (r *oaResp) wantInvalid(t *testing.T, names ...string) *oaResp {
	t.Helper()
	r.wantMessage(t, "Required parameter missing or invalid.")
	e, _ := r.json()["error"].(map[string]any)
	var got []string
	if l, ok := e["invalid"].([]any); ok {
		for _, v := range l {
			s, _ := v.(string)
			got = append(got, s)
		}
	}
	if !slices.Equal(got, names) {
		t.Errorf("invalid %v, want %v (%s)", got, names, r.Body)
	}
	return r
}

// wantField fails unless r is 400 Validation failed. with a message under field.
func (r *oaResp) wantField(t *testing.T, field string) *oaResp {
	t.Helper()
	r.wantMessage(t, "Validation failed.")
	e, _ := r.json()["error"].(map[string]any)
	d, _ := e["details"].(map[string]any)
	if _, ok := d[field]; !ok {
		t.Errorf("no %q under details (%s)", field, r.Body)
	}
	return r
}

// obj returns the object wrapped under key.
func (r *oaResp) obj(key string) map[string]any {
	m, _ := r.json()[key].(map[string]any)
	return m
}

// id returns the id of the object wrapped under key.
func (r *oaResp) id(key string) string {
	s, _ := r.obj(key)["id"].(string)
	return s
}

const (
	msgForbidden  = "You do not have permission to perform this action."
	msgNoBusiness = "Owner does not have a business."
)

// bizOp is a business-scoped operation; ownerOnly ones refuse members.
type bizOp struct {
	method, path string
	ownerOnly    bool
}

// bizSweep sends every operation, without a body, as an anonymous caller (401), as a user who
// neither owns nor belongs to a business (403, defect 27), as an owner without a business (404
// Owner does not have a business., defect 24) and, when owner-only, as a member (403): the
// permission is decided before the body is read.
func bizSweep(t *testing.T, c *oaClient, w *bizWorld, ops []bizOp) {
	t.Helper()
	for _, op := range ops {
		c.call(op.method, op.path, nil, "", 401)
		c.call(op.method, op.path, nil, w.plain, 403).wantMessage(t, msgForbidden)
		c.call(op.method, op.path, nil, w.idle, 404).wantMessage(t, msgNoBusiness)
		if op.ownerOnly {
			c.call(op.method, op.path, nil, w.member, 403).wantMessage(t, msgForbidden)
		}
	}
}

// TestOpenAPIConformanceBusiness drives every Business route of §2.1–§2.5 and validates the
// answers against openapi.yaml.
func TestOpenAPIConformanceBusiness(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		c := &oaClient{t: t, e: w.e}
		const fake = "01JYM6QVGZBSTGMECFQV138WAA"

		// Sign-up and the caller's own user (routes 4–6).
		c.call("POST", "/accounts", map[string]any{"name": "Nora", "email": "nora@example.com", "username": "nora",
			"password": testPassword, "is_staff": false}, "", 201)
		r := c.call("POST", "/accounts", map[string]any{"name": "N", "email": "n@example.com", "password": testPassword,
			"nickname": "n"}, "", 400).wantMessage(t, "Required parameter missing or invalid.") // names under details (§1.4)
		if e, _ := r.json()["error"].(map[string]any); e["details"] == nil || e["invalid"] != nil {
			t.Errorf("sign-up unknown key: %s", r.Body)
		}
		c.call("POST", "/accounts", "", "", 400).wantInvalid(t)
		nora := c.call("POST", "/token", map[string]string{"username": "nora", "password": testPassword}, "", 200).str("access")
		c.call("PATCH", "/accounts", map[string]any{"name": "Nora N.", "get_notification": "1"}, nora, 200)
		c.call("PATCH", "/accounts/", map[string]any{"bogus": 1}, nora, 400).wantInvalid(t, "bogus")
		c.call("PATCH", "/accounts", map[string]any{"name": "x"}, "", 401)
		c.call("DELETE", "/accounts", nil, w.member, 403).wantMessage(t, msgForbidden)
		c.call("DELETE", "/accounts", nil, w.plain, 403)
		c.call("DELETE", "/accounts", nil, "", 401)
		c.call("DELETE", "/accounts", nil, nora, 200)
		c.call("GET", "/me", nil, nora, 401)
		c.call("GET", "/accounts", nil, "", 405)

		// Every business-scoped operation refuses the anonymous (401), users without a place (403)
		// and owners without a business (404); owner-only ones refuse members (403).
		var ops []bizOp
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			ops = append(ops, bizOp{m, "/business", true}, bizOp{m, "/members/" + fake, true},
				bizOp{m, "/contacts/customers/" + fake, false}, bizOp{m, "/contacts/suppliers/" + fake, false},
				bizOp{m, "/finance/accounts/" + fake, true}, bizOp{m, "/finance/categories/" + fake, false})
		}
		for _, m := range []string{"GET", "POST"} {
			ops = append(ops, bizOp{m, "/members", true}, bizOp{m, "/contacts/customers", false},
				bizOp{m, "/contacts/suppliers", false}, bizOp{m, "/finance/accounts", true},
				bizOp{m, "/finance/categories", false}, bizOp{m, "/finance/transactions", false})
		}
		ops = append(ops, bizOp{"GET", "/business/settings", true}, bizOp{"PATCH", "/business/settings", true},
			bizOp{"GET", "/contacts", false}, bizOp{"GET", "/finance/transactions/" + fake, false},
			bizOp{"DELETE", "/finance/transactions/" + fake, false})
		bizSweep(t, c, w, ops)
		c.call("POST", "/contacts/customers", map[string]any{"name": "X"}, w.idle, 404).wantMessage(t, msgNoBusiness)

		// Owner profile (route 7): owners only, with or without a business.
		c.call("GET", "/owner", nil, w.owner, 200)
		c.call("GET", "/owner/", nil, w.idle, 200)
		c.call("HEAD", "/owner", nil, w.owner, 200)
		c.call("GET", "/owner", nil, "", 401)
		c.call("GET", "/owner", nil, w.member, 403).wantMessage(t, msgForbidden)
		c.call("GET", "/owner", nil, w.plain, 403)
		c.call("PATCH", "/owner", map[string]any{"name": "Olivia", "phone": 81999990000, "email": "", "user": "x"}, w.owner, 200)
		c.call("PATCH", "/owner/", url.Values{"name": {"Olivia O."}, "email": {"olivia@example.com"}}, w.owner, 200)
		c.call("PATCH", "/owner", map[string]any{"name": nil}, w.owner, 200)
		c.call("PATCH", "/owner", map[string]any{"nickname": "o"}, w.owner, 400).wantInvalid(t, "nickname")
		c.call("PATCH", "/owner", map[string]any{}, w.owner, 400).wantInvalid(t)
		c.call("PATCH", "/owner", map[string]any{"email": "bad"}, w.owner, 400).wantField(t, "email")
		c.call("PATCH", "/owner", map[string]any{"name": "x"}, w.member, 403)
		c.call("PATCH", "/owner", map[string]any{"name": "x"}, "", 401)
		c.call("PUT", "/owner", nil, "", 405)

		// The business (route 8) and its settings (S26).
		c.call("GET", "/business", nil, w.owner, 200)
		c.call("GET", "/business/", nil, w.other, 200)
		c.call("GET", "/business", nil, w.member, 403).wantMessage(t, msgForbidden)
		c.call("GET", "/business", nil, w.plain, 403)
		c.call("GET", "/business", nil, "", 401)
		c.call("PATCH", "/business", map[string]any{"city": "Recife", "email": "acme@example.com", "is_active": "True",
			"id": "ignored", "phone": 8133334444, "ie": nil}, w.owner, 200)
		c.call("PATCH", "/business", url.Values{"address": {"Rua A, 1"}}, w.owner, 200)
		c.call("PATCH", "/business", map[string]any{"owner_name": "x"}, w.owner, 400).wantInvalid(t, "owner_name")
		c.call("PATCH", "/business", map[string]any{"state": "PER"}, w.owner, 400).wantField(t, "state")
		c.call("PATCH", "/business", map[string]any{"legal_name": nil}, w.owner, 400).wantField(t, "legal_name")
		c.call("PATCH", "/business", map[string]any{"city": "X"}, w.member, 403)
		c.call("POST", "/business", map[string]any{"legal_name": "Again", "trade_name": "A", "cnpj": "99" + bizUniq()},
			w.owner, 400).wantMessage(t, "Owner has an existing business.")
		c.call("POST", "/business", map[string]any{"legal_name": "Mine", "trade_name": "M", "cnpj": "98" + bizUniq()},
			w.member, 403)
		c.call("POST", "/business", map[string]any{"trade_name": "No legal name"}, w.idle, 400).wantField(t, "legal_name")
		c.call("POST", "/business", map[string]any{"legal_name": "X", "trade_name": "X", "cnpj": "1", "vat": "x"},
			w.idle, 400).wantInvalid(t, "vat")
		c.call("POST", "/business", nil, "", 401)
		idleBiz := c.call("POST", "/business/", map[string]any{"legal_name": "Idle Co", "trade_name": "Idle",
			"cnpj": 12345678000199, "timezone": "America/Recife", "email": nil}, w.idle, 201)
		if b := idleBiz.obj("business"); b["cnpj"] != "12345678000199" || b["email"] != nil || b["ie"] != "" {
			t.Errorf("created business %v", b)
		}
		_, newcomer := w.e.signUp("nadia" + bizUniq())
		c.call("POST", "/business", url.Values{"legal_name": {"Nadia Ltd"}, "trade_name": {"Nadia"},
			"cnpj": {"97" + bizUniq()}}, newcomer, 201) // a /register/ user becomes an owner (S11)
		c.call("GET", "/owner", nil, newcomer, 200)
		c.call("GET", "/business/settings", nil, w.owner, 200)
		c.call("HEAD", "/business/settings", nil, w.owner, 200)
		c.call("PATCH", "/business/settings", map[string]any{"timezone": "America/Recife"}, w.owner, 200)
		c.call("PATCH", "/business/settings/", url.Values{"timezone": {"UTC"}}, w.owner, 200)
		c.call("PATCH", "/business/settings", map[string]any{"timezone": "Mars/Olympus"}, w.owner, 400).wantField(t, "timezone")
		c.call("PATCH", "/business/settings", map[string]any{"currency": "BRL"}, w.owner, 400).wantInvalid(t, "currency")
		c.call("GET", "/business/settings", nil, w.member, 403)
		c.call("PATCH", "/business/settings", map[string]any{"timezone": "UTC"}, "", 401)
		c.call("DELETE", "/business/settings", nil, "", 405)
		c.call("DELETE", "/business", nil, w.idle, 200)
		c.call("DELETE", "/business", nil, w.member, 403)
		c.call("PUT", "/business", nil, "", 405)

		// Members (routes 9–10): owners only.
		c.call("GET", "/members", nil, w.owner, 200)
		c.call("HEAD", "/members/", nil, w.owner, 200)
		c.call("GET", "/members?page=2", nil, w.owner, 404).wantMessage(t, "Invalid page.")
		c.call("GET", "/members", nil, w.member, 403).wantMessage(t, msgForbidden)
		c.call("GET", "/members", nil, w.plain, 403)
		c.call("GET", "/members", nil, "", 401)
		nina := c.call("POST", "/members", map[string]any{"name": "Nina", "phone": 81911112222, "email": "nina@example.com",
			"salary": 2500.5, "date_of_birth": "1990-02-28", "hire_date": nil, "has_access": "false", "cpf": "12345678901",
			"credential": "ignored"}, w.owner, 201)
		ninaID := nina.id("member")
		if m := nina.obj("member"); m["salary"] != "2500.50" || m["credential"] != nil || m["phone"] != "81911112222" {
			t.Errorf("created member %v", m)
		}
		leo := c.call("POST", "/members/", url.Values{"name": {"Leo"}, "phone": {"81933334444"}, "email": {"leo@example.com"},
			"has_access": {"1"}, "password": {testPassword}}, w.owner, 201)
		if cred, _ := leo.obj("member")["credential"].(map[string]any); cred == nil || cred["username"] != "81933334444" {
			t.Errorf("member login %v", leo.obj("member"))
		}
		c.call("POST", "/members", map[string]any{"name": "N", "nickname": "n"}, w.owner, 400).wantInvalid(t, "nickname")
		c.call("POST", "/members", map[string]any{"name": "N"}, w.owner, 400).wantField(t, "phone")
		c.call("POST", "/members", map[string]any{"name": "N", "phone": "81955556666", "email": "n@example.com",
			"salary": "1.234"}, w.owner, 400).wantField(t, "salary")
		c.call("POST", "/members", map[string]any{"name": "N", "phone": "1", "email": "n@example.com"}, w.member, 403)
		c.call("GET", "/members/"+ninaID, nil, w.owner, 200)
		c.call("GET", "/members/"+w.memberID+"/", nil, w.owner, 200)
		c.call("HEAD", "/members/"+ninaID, nil, w.owner, 200)
		c.call("GET", "/members/"+ninaID, nil, w.other, 404).wantMessage(t, "Member not found.")
		c.call("GET", "/members/not-an-id", nil, w.owner, 404).wantMessage(t, "Member not found.")
		c.call("GET", "/members/"+ninaID, nil, w.member, 403)
		c.call("PATCH", "/members/"+ninaID, map[string]any{"role": "Cashier", "salary": "3000.00", "hire_date": "2024-01-02"}, w.owner, 200)
		c.call("PATCH", "/members/"+ninaID, url.Values{"is_active": {"True"}}, w.owner, 200)
		c.call("PATCH", "/members/"+ninaID, map[string]any{"name": nil}, w.owner, 400).wantField(t, "name")
		c.call("PATCH", "/members/"+ninaID, map[string]any{"date_of_birth": "28/02/1990"}, w.owner, 400).wantField(t, "date_of_birth")
		c.call("PATCH", "/members/"+ninaID, map[string]any{"business": w.otherBizID, "boss": "x"}, w.owner, 400).wantInvalid(t, "boss")
		c.call("PATCH", "/members/"+fake, map[string]any{"role": "x"}, w.owner, 404).wantMessage(t, "Member not found.")
		c.call("PATCH", "/members/"+ninaID, map[string]any{"role": "x"}, w.member, 403)
		c.call("DELETE", "/members/"+ninaID, nil, w.owner, 200)
		c.call("DELETE", "/members/"+leo.id("member"), nil, w.owner, 200)
		c.call("DELETE", "/members/"+fake, nil, w.owner, 404).wantMessage(t, "Member not found.")
		c.call("DELETE", "/members/"+ninaID, nil, w.member, 403)
		c.call("DELETE", "/members/"+ninaID, nil, "", 401)
		c.call("PUT", "/members/"+fake, nil, "", 405)
		c.call("DELETE", "/members", nil, "", 405)

		// Contacts (routes 11–16): staff.
		cust := c.call("POST", "/contacts/customers", map[string]any{"name": "Carla Customer", "alias": "Carlinha",
			"gender": "unkown", "cpf": "12345678901", "code": 42, "amount_spent": "9.99", "number_of_orders": 7}, w.member, 201)
		custID := cust.id("customer")
		if m := cust.obj("customer"); m["code"] != "42" || m["amount_spent"] != "0.00" || m["number_of_orders"] != 0.0 {
			t.Errorf("created customer %v", m)
		}
		c.call("POST", "/contacts/customers/", url.Values{"name": {"Form Customer"}, "is_active": {"False"}}, w.owner, 201)
		c.call("POST", "/contacts/customers", map[string]any{"name": "X", "gender": "other"}, w.owner, 400).wantField(t, "gender")
		c.call("POST", "/contacts/customers", map[string]any{"legal_name": "X"}, w.owner, 400).wantInvalid(t, "legal_name")
		c.call("POST", "/contacts/customers", nil, w.owner, 400).wantInvalid(t)
		c.call("POST", "/contacts/customers", map[string]any{"name": "X"}, w.plain, 403).wantMessage(t, msgForbidden)
		c.call("POST", "/contacts/customers", map[string]any{"name": "X"}, "", 401)
		sup := c.call("POST", "/contacts/suppliers", map[string]any{"legal_name": "Supplies Ltd", "trade_name": "Supplies",
			"cnpj": "11222333000181", "ie": nil, "email": "sales@supplies.example.com", "notes": "net 30", "code": "S-1"}, w.owner, 201)
		supID := sup.id("supplier")
		c.call("POST", "/contacts/suppliers/", url.Values{"legal_name": {"Form Supplier"}}, w.member, 201)
		c.call("POST", "/contacts/suppliers", map[string]any{"name": "X"}, w.owner, 400).wantInvalid(t, "name")
		c.call("POST", "/contacts/suppliers", map[string]any{"legal_name": ""}, w.owner, 400).wantField(t, "legal_name")
		c.call("POST", "/contacts/suppliers", map[string]any{"legal_name": "X"}, w.plain, 403)
		c.call("GET", "/contacts", nil, w.member, 200)
		c.call("GET", "/contacts/", nil, w.owner, 200)
		c.call("HEAD", "/contacts", nil, w.owner, 200)
		if r := c.call("GET", "/contacts?search=carl", nil, w.owner, 200); !strings.Contains(string(r.Body), custID) {
			t.Errorf("search carl: %s", r.Body)
		}
		c.call("GET", "/contacts/?search=suppl", nil, w.member, 200)
		c.call("GET", "/contacts?search=nothing-matches", nil, w.owner, 200)
		c.call("GET", "/contacts?search=", nil, w.owner, 400).wantMessage(t, "Provide a search term.")
		c.call("GET", "/contacts/?search=ab", nil, w.owner, 400).wantMessage(t, "Enter at least 3 characters.")
		c.call("GET", "/contacts", nil, w.plain, 403)
		c.call("GET", "/contacts", nil, "", 401)
		c.call("GET", "/contacts?page=9", nil, w.owner, 404).wantMessage(t, "Invalid page.")
		c.call("POST", "/contacts", map[string]any{"name": "X"}, "", 405)
		c.call("GET", "/contacts/customers", nil, w.owner, 200)
		c.call("GET", "/contacts/customers/?search=zz", nil, w.owner, 200) // the per-kind lists do not search
		c.call("GET", "/contacts/suppliers", nil, w.member, 200)
		c.call("GET", "/contacts/suppliers?page=0", nil, w.member, 404)
		c.call("GET", "/contacts/customers", nil, w.plain, 403)
		c.call("GET", "/contacts/customers/"+custID, nil, w.member, 200)
		c.call("HEAD", "/contacts/customers/"+custID+"/", nil, w.member, 200)
		c.call("GET", "/contacts/customers/"+supID, nil, w.owner, 404).wantMessage(t, "Customer not found.")
		c.call("GET", "/contacts/customers/"+custID, nil, w.other, 404).wantMessage(t, "Customer not found.")
		c.call("GET", "/contacts/customers/"+custID, nil, w.plain, 403)
		c.call("PATCH", "/contacts/customers/"+custID, map[string]any{"alias": nil, "notes": "VIP", "number_of_orders": 3,
			"updated_at": "2020-01-01"}, w.owner, 200)
		c.call("PATCH", "/contacts/customers/"+custID, map[string]any{"phone": "123456789012"}, w.owner, 400).wantField(t, "phone")
		c.call("PATCH", "/contacts/customers/"+custID, map[string]any{"bogus": 1}, w.owner, 400).wantInvalid(t, "bogus")
		c.call("PATCH", "/contacts/customers/"+fake, map[string]any{"notes": "x"}, w.owner, 404).wantMessage(t, "Customer not found.")
		c.call("GET", "/contacts/suppliers/"+supID, nil, w.owner, 200)
		c.call("GET", "/contacts/suppliers/"+custID, nil, w.owner, 404).wantMessage(t, "Supplier not found.")
		c.call("GET", "/contacts/suppliers/"+supID, nil, w.plain, 403)
		c.call("PATCH", "/contacts/suppliers/"+supID, map[string]any{"trade_name": "Supplies & Co", "ie": 123}, w.member, 200)
		c.call("PATCH", "/contacts/suppliers/"+supID, url.Values{"city": {"Olinda"}}, w.member, 200)
		c.call("PATCH", "/contacts/suppliers/"+supID, map[string]any{"email": "bad"}, w.owner, 400).wantField(t, "email")
		c.call("PATCH", "/contacts/suppliers/"+supID, map[string]any{"alias": "x"}, w.owner, 400).wantInvalid(t, "alias")
		c.call("PATCH", "/contacts/suppliers/"+supID, map[string]any{"city": "x"}, w.other, 404).wantMessage(t, "Supplier not found.")
		c.call("PUT", "/contacts/suppliers/"+supID, nil, "", 405)

		// Financial accounts (routes 17–18): owners only.
		accounts := c.call("GET", "/finance/accounts", nil, w.owner, 200)
		if r, _ := accounts.json()["results"].([]any); len(r) != 1 {
			t.Errorf("a new business has one account (Caixa): %s", accounts.Body)
		}
		c.call("HEAD", "/finance/accounts", nil, w.owner, 200)
		c.call("GET", "/finance/accounts", nil, w.member, 403).wantMessage(t, msgForbidden)
		c.call("GET", "/finance/accounts", nil, w.plain, 403)
		c.call("GET", "/finance/accounts", nil, "", 401)
		c.call("GET", "/finance/accounts?page=2", nil, w.owner, 404)
		bank := c.call("POST", "/finance/accounts", map[string]any{"name": "Bank", "balance": "100.00"}, w.owner, 201)
		bankID := bank.id("account")
		if b := bank.obj("account"); b["balance"] != "0.00" {
			t.Errorf("a new account's balance: %v", b)
		}
		tillID := c.call("POST", "/finance/accounts/", url.Values{"name": {"Till"}, "is_active": {"true"}}, w.owner, 201).id("account")
		c.call("POST", "/finance/accounts", map[string]any{"name": ""}, w.owner, 400).wantField(t, "name")
		c.call("POST", "/finance/accounts", map[string]any{"name": "X", "iban": "x"}, w.owner, 400).wantInvalid(t, "iban")
		c.call("POST", "/finance/accounts", map[string]any{"name": "X"}, w.member, 403)
		c.call("GET", "/finance/accounts/"+bankID, nil, w.owner, 200)
		c.call("GET", "/finance/accounts/"+bankID, nil, w.other, 404).wantMessage(t, "Financial account not found.")
		c.call("GET", "/finance/accounts/x", nil, w.owner, 404).wantMessage(t, "Financial account not found.")
		c.call("GET", "/finance/accounts/"+bankID, nil, w.member, 403)
		c.call("PATCH", "/finance/accounts/"+bankID, map[string]any{"name": "Main bank", "created_at": "x"}, w.owner, 200)
		c.call("PATCH", "/finance/accounts/"+bankID, map[string]any{"nickname": "x"}, w.owner, 400).wantInvalid(t, "nickname")
		c.call("PATCH", "/finance/accounts/"+bankID, map[string]any{"is_active": "maybe"}, w.owner, 400).wantField(t, "is_active")
		c.call("PATCH", "/finance/accounts/"+fake, map[string]any{"name": "x"}, w.owner, 404)
		c.call("PATCH", "/finance/accounts/"+bankID, map[string]any{"name": "x"}, w.member, 403)
		c.call("POST", "/finance/accounts/"+bankID, nil, "", 405)

		// Financial categories (routes 19–20): staff.
		rootID := c.call("POST", "/finance/categories", map[string]any{"name": "Operations"}, w.member, 201).id("category")
		childID := c.call("POST", "/finance/categories", map[string]any{"name": "Rent", "parent": rootID}, w.owner, 201).id("category")
		grand := c.call("POST", "/finance/categories/", url.Values{"name": {"Office rent"}, "parent": {strings.ToLower(childID)},
			"is_active": {"1"}}, w.owner, 201)
		grandID := grand.id("category")
		if p, _ := grand.obj("category")["parent"].(map[string]any); p == nil || p["parent"] == nil {
			t.Errorf("category parents: %s", grand.Body)
		}
		c.call("POST", "/finance/categories", map[string]any{"name": "X", "parent": fake}, w.owner, 400).wantField(t, "parent")
		c.call("POST", "/finance/categories", map[string]any{"name": "X", "budget": "x"}, w.owner, 400).wantInvalid(t, "budget")
		c.call("POST", "/finance/categories", map[string]any{"name": "X"}, w.plain, 403)
		c.call("GET", "/finance/categories", nil, w.member, 200)
		c.call("GET", "/finance/categories/", nil, w.owner, 200)
		c.call("GET", "/finance/categories", nil, w.plain, 403)
		c.call("GET", "/finance/categories/"+grandID, nil, w.owner, 200)
		c.call("GET", "/finance/categories/"+rootID, nil, w.other, 404).wantMessage(t, "Financial category not found.")
		c.call("GET", "/finance/categories/"+rootID, nil, w.plain, 403)
		c.call("PATCH", "/finance/categories/"+rootID, map[string]any{"parent": grandID}, w.owner, 400).wantField(t, "parent")
		c.call("PATCH", "/finance/categories/"+grandID, map[string]any{"parent": nil, "name": "Office"}, w.member, 200)
		c.call("PATCH", "/finance/categories/"+grandID, map[string]any{}, w.member, 400).wantInvalid(t)
		c.call("PATCH", "/finance/categories/"+fake, map[string]any{"name": "x"}, w.owner, 404)
		c.call("PUT", "/finance/categories/"+grandID, nil, "", 405)

		// Transactions (routes 21–22): staff.
		credit := c.call("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 90, "description": "Sale",
			"account": bankID, "category": childID, "contact": custID}, w.owner, 201)
		if tx := credit.obj("transaction"); tx["amount"] != "90.00" {
			t.Errorf("credit %v", tx)
		}
		c.call("POST", "/finance/transactions/", url.Values{"type": {"debit"}, "amount": {"10.50"}, "description": {"Paper"},
			"account": {bankID}, "contact": {supID}}, w.member, 201)
		transfer := c.call("POST", "/finance/transactions", map[string]any{"type": "transfer", "amount": "-15",
			"description": "Float", "account": bankID, "send_to": tillID, "operator": "ignored"}, w.owner, 201)
		transferID := transfer.id("transaction")
		if tx := transfer.obj("transaction"); tx["amount"] != "-15.00" || tx["linked"] == nil {
			t.Errorf("transfer %v", tx)
		}
		c.call("POST", "/finance/transactions", map[string]any{"type": "transfer", "amount": 1, "description": "x",
			"account": bankID}, w.owner, 400).wantMessage(t, "Destination account not provided")
		c.call("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 0, "description": "x",
			"account": bankID}, w.owner, 400).wantField(t, "amount")
		c.call("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": "1.234", "description": "x",
			"account": bankID}, w.owner, 400).wantField(t, "amount")
		c.call("POST", "/finance/transactions", map[string]any{"type": "gift", "amount": 1, "description": "x",
			"account": bankID}, w.owner, 400).wantField(t, "type")
		c.call("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 1, "description": "x",
			"account": fake}, w.owner, 400).wantField(t, "account")
		c.call("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 1, "description": "x",
			"account": bankID, "payment": fake}, w.owner, 400).wantField(t, "payment")
		c.call("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 1, "description": "x",
			"account": bankID, "tip": 1}, w.owner, 400).wantInvalid(t, "tip")
		c.call("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 1, "description": "x",
			"account": bankID}, w.plain, 403)
		c.call("POST", "/finance/transactions", map[string]any{"type": "credit"}, "", 401)
		c.call("GET", "/finance/transactions", nil, w.owner, 200)
		c.call("GET", "/finance/transactions/", nil, w.member, 200)
		c.call("HEAD", "/finance/transactions", nil, w.member, 200)
		for _, q := range []string{"search=sal", "search=90.0", "search=" + transferID, "bank=" + url.QueryEscape("main BANK"),
			"bank=" + tillID, "date=today", "date=week", "date=month", "date=2025-06-25",
			"start_date=2025-01-01&end_date=2099-12-31", "start_date=2025-01-01", "search=float&date=month&page=1"} {
			c.call("GET", "/finance/transactions?"+q, nil, w.owner, 200)
		}
		c.call("GET", "/finance/transactions?search=ab", nil, w.owner, 400).wantMessage(t, "Enter at least 3 characters.")
		c.call("GET", "/finance/transactions?search=", nil, w.owner, 400).wantMessage(t, "Provide a search term.")
		c.call("GET", "/finance/transactions?bank=ab", nil, w.owner, 400).wantMessage(t, "Enter at least 3 characters.")
		c.call("GET", "/finance/transactions?date=25/06/2025", nil, w.owner, 400).
			wantMessage(t, "Make sure the date is in the format: YYYY-MM-DD.")
		c.call("GET", "/finance/transactions?start_date=2025-1-1&end_date=2025-12-31", nil, w.owner, 400).
			wantMessage(t, "Make sure the date is in the format: YYYY-MM-DD.")
		c.call("GET", "/finance/transactions?date=today&start_date=2025-01-01", nil, w.owner, 400).
			wantMessage(t, "Pick a single date or a range not both.")
		c.call("GET", "/finance/transactions?page=2", nil, w.owner, 404).wantMessage(t, "Invalid page.")
		c.call("GET", "/finance/transactions", nil, w.plain, 403)
		c.call("GET", "/finance/transactions/"+transferID, nil, w.member, 200)
		c.call("GET", "/finance/transactions/"+transferID+"/", nil, w.owner, 200)
		c.call("GET", "/finance/transactions/"+transferID, nil, w.other, 404).wantMessage(t, "Financial transaction not found.")
		c.call("GET", "/finance/transactions/not-an-id", nil, w.owner, 404).wantMessage(t, "Financial transaction not found.")
		c.call("GET", "/finance/transactions/"+transferID, nil, w.plain, 403)
		c.call("PATCH", "/finance/transactions/"+transferID, map[string]any{"amount": 1}, "", 405)
		c.call("PUT", "/finance/transactions", nil, "", 405)
		c.call("DELETE", "/finance/transactions/"+transferID, nil, w.other, 404).wantMessage(t, "Transaction not found.")
		c.call("DELETE", "/finance/transactions/"+transferID, nil, w.plain, 403)
		c.call("DELETE", "/finance/transactions/"+transferID, nil, w.member, 200)
		c.call("DELETE", "/finance/transactions/"+transferID, nil, w.owner, 404).wantMessage(t, "Transaction not found.")
		c.call("DELETE", "/finance/transactions/"+credit.id("transaction"), nil, "", 401)

		// Soft deletes; an inactive account or category takes no new transaction (S22).
		c.call("DELETE", "/finance/accounts/"+tillID, nil, w.member, 403)
		c.call("DELETE", "/finance/accounts/"+tillID, nil, w.owner, 200)
		c.call("DELETE", "/finance/accounts/"+fake, nil, w.owner, 404).wantMessage(t, "Financial account not found.")
		c.call("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 1, "description": "x",
			"account": tillID}, w.owner, 400).wantField(t, "account")
		c.call("DELETE", "/finance/categories/"+grandID, nil, w.member, 200)
		c.call("DELETE", "/finance/categories/"+grandID, nil, w.other, 404).wantMessage(t, "Financial category not found.")
		c.call("DELETE", "/finance/categories/"+grandID, nil, w.plain, 403)
		c.call("DELETE", "/contacts/customers/"+custID, nil, w.member, 200)
		c.call("DELETE", "/contacts/customers/"+custID, nil, w.other, 404).wantMessage(t, "Customer not found.")
		c.call("DELETE", "/contacts/customers/"+custID, nil, w.plain, 403)
		c.call("DELETE", "/contacts/suppliers/"+supID, nil, w.owner, 200)
		c.call("DELETE", "/contacts/suppliers/"+custID, nil, w.owner, 404).wantMessage(t, "Supplier not found.")
		c.call("DELETE", "/contacts/suppliers/"+supID, nil, "", 401)
		c.call("GET", "/contacts?search=carla", nil, w.owner, 200) // inactive contacts still listed
		c.call("DELETE", "/business", nil, w.owner, 200)
		c.call("GET", "/business", nil, w.owner, 200)
		c.call("POST", "/finance/categories", map[string]any{"name": "Late"}, w.owner, 403).wantMessage(t, "This business is inactive.")
		c.call("GET", "/finance/categories", nil, w.member, 403).wantMessage(t, "This business is inactive.")
		c.call("PATCH", "/business", map[string]any{"is_active": true}, w.owner, 200)

		// Generic errors on Business routes: unknown sub-paths, 415, 413, malformed bodies.
		c.call("GET", "/contacts/customers/"+fake+"/orders", nil, w.owner, 404).wantMessage(t, "Not found.")
		c.call("GET", "/finance", nil, w.owner, 404)
		c.callCT("POST", "/contacts/customers", `{"name":"x"}`, "multipart/form-data; boundary=x", w.owner, 415)
		c.callCT("PATCH", "/owner", "name=x", "text/plain", w.owner, 415)
		c.call("POST", "/members", `{"name":"`+strings.Repeat("x", 1<<20)+`"}`, w.owner, 413)
		c.call("POST", "/finance/categories", `{"name":`, w.owner, 400)
		c.call("PATCH", "/business", `["not", "an", "object"]`, w.owner, 400)
	})
}

// TestOpenAPIConformanceProducts drives every products and inventory route (§2.7–§2.10,
// routes 31–41) and validates the answers against openapi.yaml.
func TestOpenAPIConformanceProducts(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		c := &oaClient{t: t, e: w.e}
		const fake = prodFake
		supID := w.prodSupplier(w.owner, "Paper Co")
		sup2ID := w.prodSupplier(w.member, "Ink Co")

		// 401, 403 and 404 without a business on every operation; inventory is owner-only.
		var ops []bizOp
		for _, m := range []string{"GET", "POST"} {
			ops = append(ops, bizOp{m, "/products", false}, bizOp{m, "/products/categories", false},
				bizOp{m, "/products/" + fake + "/costs", false}, bizOp{m, "/products/inventory/" + fake + "/transactions", true})
		}
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			ops = append(ops, bizOp{m, "/products/" + fake, false}, bizOp{m, "/products/categories/" + fake, false},
				bizOp{m, "/products/" + fake + "/costs/" + fake, false},
				bizOp{m, "/products/inventory/transactions/" + fake, true})
		}
		ops = append(ops, bizOp{"GET", "/products/inventory", true}, bizOp{"GET", "/products/inventory/" + fake, true},
			bizOp{"PATCH", "/products/inventory/" + fake, true})
		bizSweep(t, c, w, ops)

		// Product categories (routes 34–35): staff.
		rootID := c.call("POST", "/products/categories", map[string]any{"name": "Office"}, w.member, 201).id("category")
		childID := c.call("POST", "/products/categories/", map[string]any{"name": "Paper", "parent": rootID}, w.owner, 201).id("category")
		pens := c.call("POST", "/products/categories", url.Values{"name": {"Pens"}, "parent": {strings.ToLower(childID)},
			"is_active": {"True"}}, w.owner, 201)
		pensID := pens.id("category")
		if p, _ := pens.obj("category")["parent"].(map[string]any); p == nil || p["parent"] == nil {
			t.Errorf("category parents: %s", pens.Body)
		}
		c.call("POST", "/products/categories", map[string]any{"name": "X", "parent": fake}, w.owner, 400).wantField(t, "parent")
		c.call("POST", "/products/categories", map[string]any{"name": "Office"}, w.owner, 400).wantField(t, "name")
		c.call("POST", "/products/categories", map[string]any{"name": "X", "slug": "x"}, w.owner, 400).wantInvalid(t, "slug")
		c.call("POST", "/products/categories", map[string]any{"name": "X"}, w.plain, 403).wantMessage(t, msgForbidden)
		c.call("POST", "/products/categories", map[string]any{"name": "X"}, "", 401)
		c.call("GET", "/products/categories", nil, w.member, 200)
		c.call("HEAD", "/products/categories/", nil, w.member, 200)
		c.call("GET", "/products/categories?page=2", nil, w.owner, 404).wantMessage(t, "Invalid page.")
		c.call("GET", "/products/categories", nil, w.plain, 403)
		c.call("GET", "/products/categories/"+pensID, nil, w.member, 200)
		c.call("GET", "/products/categories/"+pensID, nil, w.other, 404).wantMessage(t, "Category not found.")
		c.call("GET", "/products/categories/not-an-id", nil, w.owner, 404).wantMessage(t, "Category not found.")
		c.call("GET", "/products/categories/"+pensID, nil, w.plain, 403)
		c.call("PATCH", "/products/categories/"+rootID, map[string]any{"parent": pensID}, w.owner, 400).wantField(t, "parent")
		c.call("PATCH", "/products/categories/"+pensID, map[string]any{"parent": nil, "name": "Pens & pencils"}, w.member, 200)
		c.call("PATCH", "/products/categories/"+pensID, map[string]any{}, w.owner, 400).wantInvalid(t)
		c.call("PATCH", "/products/categories/"+fake, map[string]any{"name": "x"}, w.owner, 404).wantMessage(t, "Category not found.")
		c.call("PATCH", "/products/categories/"+pensID, map[string]any{"name": "x"}, w.plain, 403)

		// Products (routes 31–33): staff.
		pen := c.call("POST", "/products", map[string]any{"name": "Caneta", "sku": "CAN-1", "barcode": 7891234567890,
			"brand": "Bic", "category": childID, "supplier": supID, "cost_price": 1.5, "retail_price": "2.50",
			"discounted_price": nil, "unit": "un", "stock": "10", "is_available": "true", "track_stock": true}, w.member, 201)
		penID := pen.id("product")
		if p := pen.obj("product"); p["stock"] != 10.0 || p["category"] != "Paper" || p["barcode"] != "7891234567890" {
			t.Errorf("created product %v", p)
		}
		pencilID := c.call("POST", "/products/", url.Values{"name": {"Lápis"}, "track_stock": {"False"},
			"supplier": {sup2ID}}, w.owner, 201).id("product")
		inkID := c.call("POST", "/products", map[string]any{"name": "Tinta", "supplier": []string{supID, sup2ID},
			"stock": nil}, w.owner, 201).id("product")
		c.call("POST", "/products", map[string]any{"name": "X", "sku": "CAN-1"}, w.owner, 400).wantField(t, "sku")
		c.call("POST", "/products", map[string]any{"name": "X", "stock": -1}, w.owner, 400).wantField(t, "stock")
		c.call("POST", "/products", map[string]any{"name": "X", "cost_price": "-1"}, w.owner, 400).wantField(t, "cost_price")
		c.call("POST", "/products", map[string]any{"name": "X", "supplier": []string{fake}}, w.owner, 400).wantField(t, "supplier")
		c.call("POST", "/products", map[string]any{"name": "X", "supplier": map[string]any{"id": supID}}, w.owner, 400).
			wantField(t, "supplier")
		c.call("POST", "/products", map[string]any{"name": "X", "color": "red"}, w.owner, 400).wantInvalid(t, "color")
		c.call("POST", "/products", map[string]any{"name": "X"}, w.plain, 403).wantMessage(t, msgForbidden)
		c.call("POST", "/products", map[string]any{"name": "X"}, "", 401)
		c.call("GET", "/products", nil, w.owner, 200)
		c.call("GET", "/products/", nil, w.member, 200)
		c.call("HEAD", "/products", nil, w.member, 200)
		for _, q := range []string{"search=can", "search=CAN-1", "search=7891234567890", "search=" + penID, "search=nothing"} {
			c.call("GET", "/products?"+q, nil, w.member, 200)
		}
		c.call("GET", "/products/?search=", nil, w.owner, 400).wantMessage(t, "Provide a search term.")
		c.call("GET", "/products?search=ca", nil, w.owner, 400).wantMessage(t, "Enter at least 3 characters.")
		c.call("GET", "/products?page=2", nil, w.owner, 404).wantMessage(t, "Invalid page.")
		c.call("GET", "/products", nil, w.plain, 403)
		c.call("GET", "/products", nil, "", 401)
		c.call("GET", "/products/"+penID, nil, w.member, 200)
		c.call("GET", "/products/"+penID+"/", nil, w.owner, 200)
		c.call("GET", "/products/"+penID, nil, w.other, 404).wantMessage(t, "Product not found.")
		c.call("GET", "/products/not-an-id", nil, w.owner, 404).wantMessage(t, "Product not found.")
		c.call("GET", "/products/"+penID, nil, w.plain, 403)
		c.call("PATCH", "/products/"+penID, map[string]any{"brand": nil, "supplier": []string{}, "retail_price": 3,
			"updated_at": "x"}, w.member, 200)
		c.call("PATCH", "/products/"+pencilID, url.Values{"unit": {"box"}, "is_available": {"0"}}, w.owner, 200)
		c.call("PATCH", "/products/"+penID, map[string]any{"stock": 0}, w.owner, 400).
			wantMessage(t, "Adjust stock quantity through an inventory transaction.")
		c.call("PATCH", "/products/"+penID, map[string]any{"category": fake}, w.owner, 400).wantField(t, "category")
		c.call("PATCH", "/products/"+penID, map[string]any{"bogus": 1}, w.owner, 400).wantInvalid(t, "bogus")
		c.call("PATCH", "/products/"+fake, map[string]any{"name": "x"}, w.owner, 404).wantMessage(t, "Product not found.")
		c.call("PATCH", "/products/"+penID, map[string]any{"name": "x"}, w.plain, 403)

		// Cost history (routes 36–37): staff.
		costs := "/products/" + penID + "/costs"
		first := c.call("POST", costs, map[string]any{"quantity": 53, "effective_date": "2025-06-01", "cost_price": "25.60",
			"retail_price": 35, "product": "ignored"}, w.member, 201)
		if m := first.obj("cost"); m["markup"] != "36.72" || m["product"] != penID {
			t.Errorf("cost entry %v", m)
		}
		second := c.call("POST", costs+"/", url.Values{"quantity": {"53"}, "effective_date": {"2025-06-02"},
			"cost_price": {"33"}, "retail_price": {"40"}, "markup": {"30"}, "average_cost": {""}}, w.owner, 201)
		secondID := second.id("cost")
		c.call("POST", costs, map[string]any{"quantity": 1}, w.owner, 400).wantField(t, "effective_date")
		c.call("POST", costs, map[string]any{"quantity": 1, "effective_date": "2025-01-01", "cost_price": 1,
			"retail_price": 1, "markup": 1000}, w.owner, 400).wantField(t, "markup")
		c.call("POST", costs, map[string]any{"quantity": 1, "price": 1}, w.owner, 400).wantInvalid(t, "price")
		c.call("POST", "/products/"+fake+"/costs", map[string]any{"quantity": 1}, w.owner, 404).wantMessage(t, "Product not found.")
		c.call("POST", costs, map[string]any{"quantity": 1}, w.plain, 403)
		c.call("GET", costs, nil, w.member, 200)
		c.call("HEAD", costs, nil, w.member, 200)
		c.call("GET", costs+"?page=2", nil, w.owner, 404).wantMessage(t, "Invalid page.")
		c.call("GET", "/products/"+fake+"/costs", nil, w.owner, 404).wantMessage(t, "Product not found.")
		c.call("GET", costs, nil, w.plain, 403)
		c.call("GET", costs+"/"+secondID, nil, w.member, 200)
		c.call("GET", costs+"/"+fake, nil, w.owner, 404).wantMessage(t, "Cost not found.")
		c.call("GET", "/products/"+pencilID+"/costs/"+secondID, nil, w.owner, 404).wantMessage(t, "Cost not found.")
		c.call("GET", "/products/"+fake+"/costs/"+secondID, nil, w.owner, 404).wantMessage(t, "Product not found.")
		c.call("GET", costs+"/"+secondID, nil, w.other, 404).wantMessage(t, "Product not found.")
		c.call("PATCH", costs+"/"+secondID, map[string]any{"markup": nil, "average_cost": 0}, w.owner, 200)
		c.call("PATCH", costs+"/"+secondID, map[string]any{"quantity": -1}, w.owner, 400).wantField(t, "quantity")
		c.call("PATCH", costs+"/"+secondID, map[string]any{"product": pencilID, "id": "x"}, w.owner, 200)
		c.call("PATCH", costs+"/"+fake, map[string]any{"quantity": 1}, w.owner, 404).wantMessage(t, "Cost not found.")
		c.call("PATCH", costs+"/"+secondID, map[string]any{"quantity": 1}, w.plain, 403)
		c.call("DELETE", costs+"/"+secondID, nil, w.member, 200)
		c.call("DELETE", costs+"/"+secondID, nil, w.owner, 404).wantMessage(t, "Cost not found.")
		c.call("DELETE", costs+"/"+first.id("cost"), nil, w.plain, 403)

		// Inventories (routes 38–39): owners only.
		c.call("GET", "/products/inventory", nil, w.owner, 200)
		c.call("HEAD", "/products/inventory/", nil, w.owner, 200)
		c.call("GET", "/products/inventory?page=2", nil, w.owner, 404).wantMessage(t, "Invalid page.")
		c.call("GET", "/products/inventory", nil, w.member, 403).wantMessage(t, msgForbidden)
		c.call("GET", "/products/inventory", nil, w.plain, 403)
		c.call("GET", "/products/inventory", nil, "", 401)
		penInv := w.prodInventory(w.owner, penID)
		inkInv := w.prodInventory(w.owner, inkID)
		c.call("GET", "/products/inventory/"+penInv, nil, w.owner, 200)
		c.call("GET", "/products/inventory/"+penInv, nil, w.other, 404).wantMessage(t, "Inventory not found.")
		c.call("GET", "/products/inventory/not-an-id", nil, w.owner, 404).wantMessage(t, "Inventory not found.")
		c.call("GET", "/products/inventory/"+penInv, nil, w.member, 403)
		r := c.call("PATCH", "/products/inventory/"+penInv, map[string]any{"location": "Shelf A", "quantity": 99,
			"reserved": 1, "product": "x"}, w.owner, 200)
		if inv := r.obj("inventory"); inv["quantity"] != 10.0 || inv["reserved"] != 0.0 {
			t.Errorf("inventory %v", inv)
		}
		c.call("PATCH", "/products/inventory/"+penInv+"/", url.Values{"location": {"Shelf B"}}, w.owner, 200)
		c.call("PATCH", "/products/inventory/"+inkInv, map[string]any{"location": nil}, w.owner, 200)
		c.call("PATCH", "/products/inventory/"+penInv, map[string]any{"bin": "x"}, w.owner, 400).wantInvalid(t, "bin")
		c.call("PATCH", "/products/inventory/"+penInv, map[string]any{"location": strings.Repeat("l", 151)}, w.owner, 400).
			wantField(t, "location")
		c.call("PATCH", "/products/inventory/"+fake, map[string]any{"location": "x"}, w.owner, 404).
			wantMessage(t, "Inventory not found.")
		c.call("PATCH", "/products/inventory/"+penInv, map[string]any{"location": "x"}, w.member, 403)

		// Inventory transactions (routes 40–41): owners only.
		movements := "/products/inventory/" + penInv + "/transactions"
		c.call("GET", movements, nil, w.owner, 200) // the initial inbound
		c.call("HEAD", movements, nil, w.owner, 200)
		c.call("GET", movements+"?page=2", nil, w.owner, 404).wantMessage(t, "Invalid page.")
		c.call("GET", "/products/inventory/"+fake+"/transactions", nil, w.owner, 404).wantMessage(t, "Inventory not found.")
		c.call("GET", movements, nil, w.member, 403)
		in := c.call("POST", movements, map[string]any{"type": "inbound", "quantity": "-3", "unit_cost": "1.50",
			"description": "Restock", "date": "ignored"}, w.owner, 201)
		inID := in.id("transaction")
		if m := in.obj("transaction"); m["quantity"] != 3.0 || m["unit_price"] != "0.00" {
			t.Errorf("inbound %v", m)
		}
		outID := c.call("POST", movements+"/", url.Values{"type": {"outbound"}, "quantity": {"2"}}, w.owner, 201).id("transaction")
		c.call("POST", movements, map[string]any{"type": "outbound", "quantity": 1000}, w.owner, 400).wantField(t, "quantity")
		c.call("POST", movements, map[string]any{"type": "inbound"}, w.owner, 400).wantMessage(t, "Inform a quantity.")
		c.call("POST", movements, map[string]any{"type": "sideways", "quantity": 1}, w.owner, 400).wantField(t, "type")
		c.call("POST", movements, map[string]any{"type": "inbound", "quantity": 1, "inventory": "x"}, w.owner, 400).
			wantInvalid(t, "inventory")
		c.call("POST", "/products/inventory/"+fake+"/transactions", map[string]any{"type": "inbound", "quantity": 1},
			w.owner, 404).wantMessage(t, "Inventory not found.")
		c.call("POST", movements, map[string]any{"type": "inbound", "quantity": 1}, w.member, 403)
		c.call("POST", movements, map[string]any{"type": "inbound", "quantity": 1}, "", 401)
		c.call("GET", "/products/inventory/transactions/"+inID, nil, w.owner, 200)
		c.call("GET", "/products/inventory/transactions/"+inID+"/", nil, w.owner, 200)
		c.call("GET", "/products/inventory/transactions/"+fake, nil, w.owner, 404).wantMessage(t, "Transaction not found.")
		c.call("GET", "/products/inventory/transactions/"+inID, nil, w.other, 404).wantMessage(t, "Transaction not found.")
		c.call("GET", "/products/inventory/transactions/"+inID, nil, w.member, 403)
		c.call("PATCH", "/products/inventory/transactions/"+inID, map[string]any{"quantity": 5, "description": nil,
			"date": "x"}, w.owner, 200)
		c.call("PATCH", "/products/inventory/transactions/"+inID, url.Values{"unit_price": {"2.10"}}, w.owner, 200)
		c.call("PATCH", "/products/inventory/transactions/"+inID, map[string]any{"type": "outbound"}, w.owner, 400).
			wantInvalid(t, "type")
		c.call("PATCH", "/products/inventory/transactions/"+inID, map[string]any{"quantity": 0}, w.owner, 400).
			wantMessage(t, "Inform a quantity.")
		c.call("PATCH", "/products/inventory/transactions/"+outID, map[string]any{"quantity": 1000}, w.owner, 400).
			wantField(t, "quantity")
		c.call("PATCH", "/products/inventory/transactions/"+fake, map[string]any{"quantity": 1}, w.owner, 404)
		c.call("PATCH", "/products/inventory/transactions/"+inID, map[string]any{"quantity": 1}, w.member, 403)
		c.call("DELETE", "/products/inventory/transactions/"+outID, nil, w.owner, 200)
		c.call("DELETE", "/products/inventory/transactions/"+outID, nil, w.owner, 404).wantMessage(t, "Transaction not found.")
		c.call("DELETE", "/products/inventory/transactions/"+inID, nil, w.member, 403)
		// A delete that would take a tracked product's stock below 0 (S24).
		inkMoves := "/products/inventory/" + inkInv + "/transactions"
		inkIn := c.call("POST", inkMoves, map[string]any{"type": "inbound", "quantity": 2}, w.owner, 201).id("transaction")
		c.call("POST", inkMoves, map[string]any{"type": "outbound", "quantity": 2}, w.owner, 201)
		c.call("DELETE", "/products/inventory/transactions/"+inkIn, nil, w.owner, 400).wantField(t, "quantity")
		if stock := w.prodStock(t, penID); stock != 15 {
			t.Errorf("stock %d, want 15", stock)
		}

		// Soft deletes; an inactive product takes no cost entry nor movement (S22).
		c.call("DELETE", "/products/"+penID, nil, w.plain, 403)
		c.call("DELETE", "/products/"+penID, nil, w.other, 404).wantMessage(t, "Product not found.")
		c.call("DELETE", "/products/"+penID, nil, w.member, 200)
		c.call("POST", costs, map[string]any{"quantity": 1, "effective_date": "2025-01-01", "cost_price": 1,
			"retail_price": 2}, w.owner, 400).wantField(t, "product")
		c.call("POST", movements, map[string]any{"type": "inbound", "quantity": 1}, w.owner, 400).wantField(t, "product")
		c.call("DELETE", "/products/categories/"+rootID, nil, w.member, 200)
		c.call("DELETE", "/products/categories/"+rootID, nil, w.other, 404).wantMessage(t, "Category not found.")
		c.call("DELETE", "/products/categories/"+rootID, nil, w.plain, 403)

		// 405 (with Allow, before authentication) and unknown paths under /products.
		c.call("PUT", "/products", nil, "", 405)
		c.call("PUT", "/products/"+penID, nil, "", 405)
		c.call("DELETE", "/products/categories", nil, "", 405)
		c.call("PUT", "/products/categories/"+rootID, nil, "", 405)
		c.call("DELETE", costs, nil, "", 405)
		c.call("POST", costs+"/"+fake, nil, "", 405)
		c.call("POST", "/products/inventory", nil, "", 405)
		c.call("DELETE", "/products/inventory/"+penInv, nil, "", 405)
		c.call("PATCH", movements, nil, "", 405)
		c.call("POST", "/products/inventory/transactions/"+inID, nil, "", 405)
		c.call("GET", "/products/"+penID+"/stock", nil, w.owner, 404).wantMessage(t, "Not found.")
		c.callCT("POST", "/products", `{"name":"x"}`, "text/plain", w.owner, 415)
	})
}

// TestOpenAPIConformanceBilling drives every receivables and payables route (§2.6, routes
// 23–30) and validates the answers against openapi.yaml.
func TestOpenAPIConformanceBilling(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		c := &oaClient{t: t, e: w.e}
		const fake = "01JYM6QVGZBSTGMECFQV138WAA"
		custID := w.newContact(w.owner, false, map[string]any{"name": "Carla", "alias": "Carlinha"})
		supID := w.newContact(w.owner, true, map[string]any{"legal_name": "Supplies Ltd", "trade_name": "Supplies"})
		catID := c.call("POST", "/finance/categories", map[string]any{"name": "Sales"}, w.owner, 201).id("category")
		bankID := c.call("POST", "/finance/accounts", map[string]any{"name": "Bank"}, w.owner, 201).id("account")
		otherBank := c.call("POST", "/finance/accounts", map[string]any{"name": "Theirs"}, w.other, 201).id("account")

		for _, k := range []struct {
			base, name, contact, ttype, other string
		}{
			{"/receivables", "Receivable", custID, "credit", "/payables"},
			{"/payables", "Payable", supID, "debit", "/receivables"},
		} {
			notFound := k.name + " not found."
			base := k.base

			// 401, 403 and 404 without a business on every operation (all staff).
			bizSweep(t, c, w, []bizOp{{"GET", base, false}, {"POST", base, false}, {"GET", base + "/" + fake, false},
				{"PATCH", base + "/" + fake, false}, {"DELETE", base + "/" + fake, false},
				{"POST", base + "/" + fake + "/settle", false}})

			// Create: every recurrence; form and JSON bodies.
			once := c.call("POST", base, map[string]any{"contact": k.contact, "category": catID, "issued_at": "2025-06-01",
				"due_at": "2099-06-10", "total_amount": 100, "notes": "Invoice 1", "reference": "INV-1",
				"payment_method": "pix", "recurrence": nil, "status": "paid", "amount_paid": "100.00"}, w.member, 201)
			onceID := once.id("payment")
			if p := once.obj("payment"); p["status"] != "pending" || p["amount_paid"] != "0.00" || p["category"] != "Sales" {
				t.Errorf("created %s %v", k.name, p)
			}
			c.call("POST", base+"/", url.Values{"contact": {k.contact}, "issued_at": {"2025-05-01"}, "due_at": {"2025-05-25"},
				"total_amount": {"1000"}, "notes": {"Plan"}, "recurrence": {"installments"}, "installment_count": {"5"},
				"due_day_of_month": {"1"}}, w.owner, 201)
			c.call("POST", base, map[string]any{"contact": k.contact, "issued_at": "2025-06-01", "due_at": "2025-11-03",
				"total_amount": "10.50", "notes": "Weekly", "recurrence": "weekly", "due_weekday": "monday"}, w.owner, 201)
			c.call("POST", base, map[string]any{"contact": k.contact, "issued_at": "2025-06-01", "due_at": "2025-10-31",
				"total_amount": "20", "notes": "Monthly", "recurrence": "monthly"}, w.owner, 201)
			overdueID := c.call("POST", base, map[string]any{"contact": k.contact, "issued_at": "2020-01-01",
				"due_at": "2020-02-01", "total_amount": "50", "notes": "Old"}, w.owner, 201).id("payment")
			c.call("POST", base, map[string]any{"contact": k.contact, "issued_at": "2025-06-01"}, w.owner, 400).
				wantField(t, "due_at")
			c.call("POST", base, map[string]any{"contact": k.contact, "issued_at": "2025-06-01", "due_at": "2025-06-10",
				"total_amount": 0, "notes": "x"}, w.owner, 400).wantField(t, "total_amount")
			c.call("POST", base, map[string]any{"contact": k.contact, "issued_at": "2025-06-01", "due_at": "2025-06-10",
				"total_amount": 1, "notes": "x", "recurrence": "weekly"}, w.owner, 400).wantField(t, "due_weekday")
			c.call("POST", base, map[string]any{"contact": fake, "issued_at": "2025-06-01", "due_at": "2025-06-10",
				"total_amount": 1, "notes": "x"}, w.owner, 400).wantField(t, "contact")
			c.call("POST", base, map[string]any{"contact": k.contact, "tax": 1}, w.owner, 400).wantInvalid(t, "tax")
			c.call("POST", base, nil, w.owner, 400).wantInvalid(t)
			c.call("POST", base, map[string]any{"contact": k.contact}, w.plain, 403).wantMessage(t, msgForbidden)
			c.call("POST", base, map[string]any{"contact": k.contact}, "", 401)

			// List and search (one route, S9).
			c.call("GET", base, nil, w.owner, 200)
			c.call("GET", base+"/", nil, w.member, 200)
			c.call("HEAD", base, nil, w.member, 200)
			for _, q := range []string{"search=carl", "search=suppl", "search=INV-1", "search=invoice", "date=today",
				"date=week", "date=month", "date=2099-06-10", "start_date=2025-01-01&end_date=2025-12-31",
				"date=month&start_date=2025-01-01&end_date=2099-12-31", "search=plan&start_date=2025-01-01&end_date=2025-12-31",
				"end_date=2025-12-31"} {
				c.call("GET", base+"?"+q, nil, w.member, 200)
			}
			c.call("GET", base+"?search=", nil, w.owner, 400).wantMessage(t, "Provide a search term.")
			c.call("GET", base+"/?search=ab", nil, w.owner, 400).wantMessage(t, "Enter at least 3 characters.")
			c.call("GET", base+"?date=06/10/2099", nil, w.owner, 400).wantMessage(t, "Make sure the date is in the format: YYYY-MM-DD.")
			c.call("GET", base+"?start_date=2025-01-01&end_date=31-12-2025", nil, w.owner, 400).
				wantMessage(t, "Make sure the date is in the format: YYYY-MM-DD.")
			c.call("GET", base+"?page=9", nil, w.owner, 404).wantMessage(t, "Invalid page.")
			c.call("GET", base, nil, w.plain, 403)
			c.call("GET", base, nil, "", 401)

			// One payment; the other kind's route does not see it (defect 17).
			c.call("GET", base+"/"+onceID, nil, w.member, 200)
			c.call("GET", base+"/"+onceID+"/", nil, w.owner, 200)
			c.call("GET", base+"/"+overdueID, nil, w.owner, 200)
			c.call("GET", k.other+"/"+onceID, nil, w.owner, 404)
			c.call("GET", base+"/"+onceID, nil, w.other, 404).wantMessage(t, notFound)
			c.call("GET", base+"/not-an-id", nil, w.owner, 404).wantMessage(t, notFound)
			c.call("GET", base+"/"+onceID, nil, w.plain, 403)
			c.call("PATCH", base+"/"+onceID, map[string]any{"notes": "Invoice 1b", "category": nil, "total_amount": "120.00",
				"payment_type": "payable", "outstanding_balance": "0"}, w.member, 200)
			c.call("PATCH", base+"/"+onceID, url.Values{"reference": {"INV-1b"}, "recurrence": {"once"}}, w.owner, 200)
			c.call("PATCH", base+"/"+onceID, map[string]any{"recurrence": "monthly"}, w.owner, 400).wantField(t, "recurrence")
			c.call("PATCH", base+"/"+onceID, map[string]any{"notes": ""}, w.owner, 400).wantField(t, "notes")
			c.call("PATCH", base+"/"+onceID, map[string]any{"amount": 1}, w.owner, 400).wantInvalid(t, "amount")
			c.call("PATCH", base+"/"+onceID, map[string]any{}, w.owner, 400).wantInvalid(t)
			c.call("PATCH", k.other+"/"+onceID, map[string]any{"notes": "x"}, w.owner, 404)
			c.call("PATCH", base+"/"+fake, map[string]any{"notes": "x"}, w.owner, 404).wantMessage(t, notFound)
			c.call("PATCH", base+"/"+onceID, map[string]any{"notes": "x"}, w.plain, 403)

			// Settle: a transaction of the payment's direction; partial, then paid.
			settle := base + "/" + onceID + "/settle"
			tx := c.call("POST", settle, map[string]any{"amount": "-25", "account": bankID, "type": "transfer",
				"description": "ignored", "operator": "x"}, w.member, 201)
			if m := tx.obj("transaction"); m["type"] != k.ttype || m["payment"] != onceID {
				t.Errorf("settle transaction %v", m)
			}
			if p := c.call("GET", base+"/"+onceID, nil, w.owner, 200).obj("payment"); p["status"] != "partially_paid" ||
				p["outstanding_balance"] != "95.00" {
				t.Errorf("after a partial settle: %v", p)
			}
			c.call("POST", settle+"/", url.Values{"amount": {"95"}, "account": {bankID}}, w.owner, 201)
			if p := c.call("GET", base+"/"+onceID, nil, w.owner, 200).obj("payment"); p["status"] != "paid" || p["paid_at"] == nil {
				t.Errorf("after the full settle: %v", p)
			}
			c.call("POST", settle, map[string]any{"amount": 1, "account": bankID}, w.owner, 400).wantField(t, "amount")
			c.call("POST", base+"/"+overdueID+"/settle", map[string]any{"amount": 0, "account": bankID}, w.owner, 400).
				wantField(t, "amount")
			c.call("POST", base+"/"+overdueID+"/settle", map[string]any{"amount": 1}, w.owner, 400).wantField(t, "account")
			c.call("POST", base+"/"+overdueID+"/settle", map[string]any{"amount": 1, "account": otherBank}, w.owner, 400).
				wantField(t, "account")
			c.call("POST", base+"/"+overdueID+"/settle", map[string]any{"amount": 1, "account": bankID, "tip": 1}, w.owner, 400).
				wantInvalid(t, "tip")
			c.call("POST", k.other+"/"+overdueID+"/settle", map[string]any{"amount": 1, "account": bankID}, w.owner, 404)
			c.call("POST", base+"/"+fake+"/settle", map[string]any{"amount": 1, "account": bankID}, w.owner, 404).
				wantMessage(t, notFound)
			c.call("POST", base+"/"+overdueID+"/settle", map[string]any{"amount": 1, "account": bankID}, w.plain, 403)
			c.call("POST", base+"/"+overdueID+"/settle", map[string]any{"amount": 1, "account": bankID}, "", 401)
			// A transaction may settle one too (POST /finance/transactions with payment, S22).
			ptx := c.call("POST", "/finance/transactions", map[string]any{"type": k.ttype, "amount": 5, "description": "Part",
				"account": bankID, "payment": overdueID}, w.owner, 201)
			if m := ptx.obj("transaction"); m["payment"] != overdueID {
				t.Errorf("transaction with payment %v", m)
			}
			c.call("GET", "/finance/transactions/"+ptx.id("transaction"), nil, w.owner, 200)

			// Delete: refused while transactions settle it (409, defect 22).
			c.call("DELETE", base+"/"+onceID, nil, w.owner, 409).
				wantMessage(t, "Cannot delete "+strings.ToLower(k.name)+" because it has associated financial transactions.")
			c.call("DELETE", "/finance/transactions/"+ptx.id("transaction"), nil, w.owner, 200)
			if p := c.call("GET", base+"/"+overdueID, nil, w.owner, 200).obj("payment"); p["amount_paid"] != "0.00" ||
				p["status"] != "overdue" {
				t.Errorf("after deleting its transaction: %v", p)
			}
			c.call("DELETE", base+"/"+overdueID, nil, w.plain, 403)
			c.call("DELETE", k.other+"/"+overdueID, nil, w.owner, 404)
			c.call("DELETE", base+"/"+overdueID, nil, w.member, 200)
			c.call("DELETE", base+"/"+overdueID, nil, w.owner, 404).wantMessage(t, notFound)
			c.call("DELETE", base+"/"+overdueID, nil, "", 401)

			// 405 before authentication (S3).
			c.call("PUT", base, nil, "", 405)
			c.call("DELETE", base, nil, "", 405)
			c.call("PUT", base+"/"+fake, nil, "", 405)
			c.call("GET", base+"/"+fake+"/settle", nil, "", 405)
			c.call("GET", base+"/"+fake+"/pay", nil, w.owner, 404).wantMessage(t, "Not found.")
			c.callCT("POST", base, "contact=x", "text/plain", w.owner, 415)
		}
	})
}
