package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

var bizUserKeys = []string{"id", "name", "email", "username", "is_active", "is_staff", "last_login", "date_joined"}

func TestBusinessSignUp(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		// Sign-up is open and ignores any Authorization header (§5, S34).
		req, _ := http.NewRequest("POST", e.srv.URL+"/accounts", strings.NewReader(
			`{"name": "Olivia", "email": "olivia@example.com", "username": "olivia", "password": "`+testPassword+`", "is_staff": false, "groups": []}`))
		req.Header.Set("Content-Type", "application/json")
		r := e.send(req, "None")
		want(t, r, http.StatusCreated)
		u := bizObj(r, "user")
		bizWantKeys(t, u, bizUserKeys...)
		if u["is_staff"] != true || u["is_active"] != true || u["name"] != "Olivia" || u["username"] != "olivia" {
			t.Fatalf("signed-up user %v; want an active staff user", u)
		}
		// Stored hashed; sign-in by e-mail as well as username; the owner record exists.
		stored, err := e.db.UserByID(context.Background(), u["id"].(string))
		if err != nil || !strings.HasPrefix(stored.PasswordHash, "$argon2id$") || strings.Contains(stored.PasswordHash, testPassword) {
			t.Fatalf("stored hash %q, %v; want an Argon2id hash", stored.PasswordHash, err)
		}
		for _, login := range []string{"olivia", "olivia@example.com"} {
			r = e.do("POST", "/token", map[string]string{"username": login, "password": testPassword}, "")
			want(t, r, http.StatusOK)
		}
		r = e.do("GET", "/owner", nil, r.Str("access"))
		want(t, r, http.StatusOK)
		bizWantKeys(t, bizObj(r, "owner"), "id", "name", "email", "phone")

		// Form bodies, no username.
		r = e.form("POST", "/accounts/", url.Values{"name": {"Bob"}, "email": {"bob@example.com"}, "password": {testPassword}}, "")
		want(t, r, http.StatusCreated)
		if bizObj(r, "user")["username"] != nil {
			t.Fatalf("username = %v, want null", bizObj(r, "user")["username"])
		}

		bizWantError(t, e.do("POST", "/accounts", "", ""), http.StatusBadRequest, "Required parameter missing or invalid.")
		r = e.do("POST", "/accounts", map[string]any{"name": "X", "email": "x@example.com", "password": testPassword, "shoe_size": 42}, "")
		bizWantError(t, r, http.StatusBadRequest, "Required parameter missing or invalid.")
		if r.details()["shoe_size"] == nil || r.JSON()["error"].(map[string]any)["invalid"] != nil {
			t.Fatalf("unknown key answered %s; want it under details (§1.4)", r.Body)
		}
		cases := []struct {
			name  string
			body  map[string]any
			field string
			msg   string
		}{
			{"missing name", map[string]any{"email": "c@example.com", "password": testPassword}, "name", "This field is required."},
			{"missing email", map[string]any{"name": "C", "password": testPassword}, "email", "This field is required."},
			{"missing password", map[string]any{"name": "C", "email": "c@example.com"}, "password", "This field is required."},
			{"bad email", map[string]any{"name": "C", "email": "nope", "password": testPassword}, "email", "Enter a valid email address."},
			{"taken email", map[string]any{"name": "C", "email": "OLIVIA@example.com", "password": testPassword}, "email", "user with this email already exists."},
			{"taken username", map[string]any{"name": "C", "email": "c@example.com", "username": "olivia", "password": testPassword}, "username", "user with this username already exists."},
			{"short password", map[string]any{"name": "C", "email": "c2@example.com", "password": "Ab1!x"}, "password", "This password is too short. It must contain at least 8 characters."},
			{"long name", map[string]any{"name": strings.Repeat("n", 256), "email": "c3@example.com", "password": testPassword}, "name", "Ensure this field has no more than 255 characters."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				bizWantField(t, e.do("POST", "/accounts", tc.body, ""), tc.field, tc.msg)
			})
		}
		// S11: an e-mail that is some user's username is taken.
		r = e.do("POST", "/register/", map[string]string{"username": "dan@example.com", "password": testPassword}, "")
		want(t, r, http.StatusCreated)
		bizWantField(t, e.do("POST", "/accounts", map[string]any{"name": "D", "email": "dan@example.com", "password": testPassword}, ""),
			"email", "user with this email already exists.")
		want(t, e.do("GET", "/accounts", nil, ""), http.StatusMethodNotAllowed)
	})
}

func TestBusinessCloseAccount(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("DELETE", "/accounts", nil, ""), http.StatusUnauthorized)
		bizWantError(t, e.do("DELETE", "/accounts", nil, w.member), http.StatusForbidden, "You do not have permission to perform this action.")
		bizWantError(t, e.do("DELETE", "/accounts", nil, w.plain), http.StatusForbidden, "You do not have permission to perform this action.")
		r := e.do("DELETE", "/accounts", nil, w.owner)
		want(t, r, http.StatusOK)
		u := bizObj(r, "user")
		bizWantKeys(t, u, "id", "is_active")
		if u["id"] != w.ownerID || u["is_active"] != false {
			t.Fatalf("DELETE /accounts answered %s", r.Body)
		}
		want(t, e.do("GET", "/me", nil, w.owner), http.StatusUnauthorized)
		r = e.do("GET", "/me", nil, w.member) // the business and its members keep working
		want(t, r, http.StatusOK)
	})
}

func TestBusinessOwnerProfile(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("GET", "/owner", nil, ""), http.StatusUnauthorized)
		for _, tok := range []string{w.member, w.plain} {
			bizWantError(t, e.do("GET", "/owner", nil, tok), http.StatusForbidden, "You do not have permission to perform this action.")
			want(t, e.do("PATCH", "/owner", map[string]any{"name": "x"}, tok), http.StatusForbidden)
		}
		r := e.do("GET", "/owner", nil, w.idle) // an owner without a business has a profile
		want(t, r, http.StatusOK)
		r = e.do("PATCH", "/owner/", map[string]any{"name": "Olivia O.", "phone": "5581999999999", "email": "o@Example.com",
			"user": "someone", "business": w.otherBizID}, w.owner)
		want(t, r, http.StatusOK)
		o := bizObj(r, "owner")
		if o["name"] != "Olivia O." || o["phone"] != "5581999999999" || o["email"] != "o@example.com" {
			t.Fatalf("PATCH /owner answered %s", r.Body)
		}
		r = e.do("PATCH", "/owner", map[string]any{"email": nil}, w.owner)
		want(t, r, http.StatusOK)
		if bizObj(r, "owner")["email"] != nil || bizObj(r, "owner")["name"] != "Olivia O." {
			t.Fatalf("PATCH email null answered %s", r.Body)
		}
		bizWantInvalid(t, e.do("PATCH", "/owner", map[string]any{"nickname": "o"}, w.owner), "nickname")
		bizWantInvalid(t, e.do("PATCH", "/owner", map[string]any{}, w.owner))
		bizWantField(t, e.do("PATCH", "/owner", map[string]any{"phone": "123456789012345"}, w.owner), "phone", "Ensure this field has no more than 14 characters.")
		bizWantField(t, e.do("PATCH", "/owner", map[string]any{"email": "bad"}, w.owner), "email", "Enter a valid email address.")
	})
}

var businessKeysOut = []string{"id", "legal_name", "trade_name", "cnpj", "ie", "im", "is_active", "postcode", "city",
	"state", "address", "phone", "email"}

func TestBusinessResource(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		// No business yet: 404 with body status 404 (defect 24).
		bizWantError(t, e.do("GET", "/business", nil, w.idle), http.StatusNotFound, "Owner does not have a business.")
		bizWantError(t, e.do("GET", "/members", nil, w.idle), http.StatusNotFound, "Owner does not have a business.")
		bizWantError(t, e.do("GET", "/contacts", nil, w.idle), http.StatusNotFound, "Owner does not have a business.")

		r := e.do("POST", "/business", map[string]any{"legal_name": "Ivan Ltda", "trade_name": "Ivan", "cnpj": "11222333000181",
			"ie": nil, "email": "shop@Ivan.example", "timezone": "America/Recife", "id": "ignored", "owner": "ignored"}, w.idle)
		want(t, r, http.StatusCreated)
		b := bizObj(r, "business")
		bizWantKeys(t, b, businessKeysOut...)
		if b["ie"] != "" || b["city"] != "" || b["email"] != "shop@ivan.example" || b["is_active"] != true || b["id"] == "ignored" {
			t.Fatalf("created business %v", b)
		}
		// The cash account comes with it.
		accs := bizResults(t, e.do("GET", "/finance/accounts", nil, w.idle), "account")
		if len(accs) != 1 || accs[0]["name"] != "Caixa" || accs[0]["balance"] != "0.00" {
			t.Fatalf("accounts of a new business: %v", accs)
		}
		bizWantError(t, e.do("POST", "/business", map[string]any{"legal_name": "Again", "trade_name": "A", "cnpj": "99"}, w.idle),
			http.StatusBadRequest, "Owner has an existing business.")
		r = e.do("GET", "/business/settings", nil, w.idle)
		want(t, r, http.StatusOK)
		bizWantKeys(t, bizObj(r, "settings"), "timezone")
		if bizObj(r, "settings")["timezone"] != "America/Recife" {
			t.Fatalf("settings %s", r.Body)
		}

		// Members are refused the owner's routes; others see their own business only.
		for _, path := range []string{"/business", "/business/settings"} {
			bizWantError(t, e.do("GET", path, nil, w.member), http.StatusForbidden, "You do not have permission to perform this action.")
			bizWantError(t, e.do("GET", path, nil, w.plain), http.StatusForbidden, "You do not have permission to perform this action.")
			want(t, e.do("GET", path, nil, ""), http.StatusUnauthorized)
		}
		want(t, e.do("POST", "/business", map[string]any{"legal_name": "M", "trade_name": "M", "cnpj": "77"}, w.member), http.StatusForbidden)
		r = e.do("GET", "/business", nil, w.other)
		want(t, r, http.StatusOK)
		if bizObj(r, "business")["id"] != w.otherBizID {
			t.Fatalf("other owner sees %s", r.Body)
		}

		// PATCH, validation, uniqueness of cnpj across businesses.
		r = e.do("PATCH", "/business", map[string]any{"city": "Recife", "state": "PE", "timezone": "America/Sao_Paulo"}, w.owner)
		want(t, r, http.StatusOK)
		if bizObj(r, "business")["city"] != "Recife" || bizObj(r, "business")["timezone"] != nil {
			t.Fatalf("PATCH /business answered %s", r.Body)
		}
		bizWantField(t, e.do("PATCH", "/business", map[string]any{"cnpj": "11222333000181"}, w.owner), "cnpj", "business with this cnpj already exists.")
		bizWantField(t, e.do("PATCH", "/business", map[string]any{"state": "PER"}, w.owner), "state", "Ensure this field has no more than 2 characters.")
		bizWantField(t, e.do("PATCH", "/business", map[string]any{"legal_name": ""}, w.owner), "legal_name", "This field may not be blank.")
		bizWantField(t, e.do("PATCH", "/business", map[string]any{"timezone": "Mars/Olympus"}, w.owner), "timezone", "A valid timezone is required.")
		bizWantInvalid(t, e.do("PATCH", "/business", map[string]any{"owner_name": "x"}, w.owner), "owner_name")
		r = e.do("POST", "/business", map[string]any{"trade_name": "T"}, w.plain)
		bizWantField(t, r, "legal_name", "This field is required.")
		bizWantField(t, r, "cnpj", "This field is required.")

		r = e.do("PATCH", "/business/settings", map[string]any{"timezone": "Asia/Tokyo"}, w.owner)
		want(t, r, http.StatusOK)
		if bizObj(r, "settings")["timezone"] != "Asia/Tokyo" {
			t.Fatalf("PATCH settings answered %s", r.Body)
		}
		bizWantField(t, e.do("PATCH", "/business/settings", map[string]any{"timezone": "Local"}, w.owner), "timezone", "A valid timezone is required.")
		bizWantInvalid(t, e.do("PATCH", "/business/settings", map[string]any{"currency": "BRL"}, w.owner), "currency")

		r = e.do("DELETE", "/business", nil, w.owner)
		want(t, r, http.StatusOK)
		if got := bizObj(r, "business"); len(got) != 1 || got["is_active"] != false {
			t.Fatalf("DELETE /business answered %s", r.Body)
		}
		want(t, e.do("GET", "/business", nil, w.owner), http.StatusOK)
	})
}

// TestBusinessRegisterUserBecomesOwner: a user who neither owns nor belongs to a business may
// create one and becomes its owner (S11); one whose owner record is gone is 403 (§5).
func TestBusinessRegisterUserBecomesOwner(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		bizWantError(t, e.do("GET", "/business", nil, w.plain), http.StatusForbidden, "You do not have permission to perform this action.")
		e.newBusiness(w.plain)
		want(t, e.do("GET", "/business", nil, w.plain), http.StatusOK)
		want(t, e.do("GET", "/owner", nil, w.plain), http.StatusOK)
		if r := e.do("GET", "/me", nil, w.plain); bizObj(r, "user")["is_staff"] != true {
			t.Fatalf("/me after creating a business: %s", r.Body)
		}

		if _, err := e.db.Writer().Exec(`DELETE FROM owners WHERE user_id = $1`, w.ownerID); err != nil {
			t.Fatal(err)
		}
		bizWantError(t, e.do("GET", "/business", nil, w.owner), http.StatusForbidden, "You do not have permission to perform this action.")
		bizWantError(t, e.do("GET", "/contacts", nil, w.owner), http.StatusForbidden, "You do not have permission to perform this action.")
	})
}
