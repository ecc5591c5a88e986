package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

var memberKeysOut = []string{"id", "name", "cpf", "date_of_birth", "role", "hire_date", "salary", "phone", "email",
	"has_access", "is_active", "credential"}

func TestBusinessMembersPermissions(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("GET", "/members", nil, ""), http.StatusUnauthorized)
		for _, tok := range []string{w.member, w.plain} {
			bizWantError(t, e.do("GET", "/members", nil, tok), http.StatusForbidden, "You do not have permission to perform this action.")
			want(t, e.do("POST", "/members", map[string]any{"name": "x"}, tok), http.StatusForbidden)
			want(t, e.do("GET", "/members/"+w.memberID, nil, tok), http.StatusForbidden)
		}
		// Another business's owner sees none of ours.
		if got := bizResults(t, e.do("GET", "/members", nil, w.other), "member"); len(got) != 0 {
			t.Fatalf("other owner lists %v", got)
		}
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			bizWantError(t, e.do(m, "/members/"+w.memberID, map[string]any{"name": "x"}, w.other), http.StatusNotFound, "Member not found.")
		}
		bizWantError(t, e.do("GET", "/members/not-an-id", nil, w.owner), http.StatusNotFound, "Member not found.")
		want(t, e.do("PUT", "/members/"+w.memberID, nil, ""), http.StatusMethodNotAllowed) // 405 before 401 (S3)

		// The member acts as staff of its business only (§1.2, defect 6).
		want(t, e.do("GET", "/contacts", nil, w.member), http.StatusOK)
		want(t, e.do("GET", "/finance/categories", nil, w.member), http.StatusOK)
		want(t, e.do("GET", "/finance/transactions", nil, w.member), http.StatusOK)
		for _, path := range []string{"/finance/accounts", "/business", "/owner", "/members"} {
			want(t, e.do("GET", path, nil, w.member), http.StatusForbidden)
		}
		r := e.do("GET", "/members/"+strings.ToLower(w.memberID), nil, w.owner)
		want(t, r, http.StatusOK)
		m := bizObj(r, "member")
		bizWantKeys(t, m, memberKeysOut...)
		cred := m["credential"].(map[string]any)
		if cred["id"] != w.memberUserID || cred["username"] != w.memberPhone || m["has_access"] != true {
			t.Fatalf("member %v", m)
		}
		if strings.Contains(string(r.Body), "password") {
			t.Fatalf("member answer shows a password: %s", r.Body)
		}
	})
}

func TestBusinessMembersCRUD(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		r := e.do("POST", "/members", map[string]any{"name": " Nina ", "phone": "81988887777", "email": "nina@example.com",
			"cpf": "12345678901", "date_of_birth": "1990-02-28", "hire_date": "2024-01-15", "salary": "2500.5", "role": "Cashier",
			"business": w.otherBizID, "credential": "x"}, w.owner)
		want(t, r, http.StatusCreated)
		m := bizObj(r, "member")
		if m["name"] != "Nina" || m["salary"] != "2500.50" || m["credential"] != nil || m["has_access"] != false ||
			m["is_active"] != true || m["date_of_birth"] != "1990-02-28" {
			t.Fatalf("created member %v", m)
		}
		nina := m["id"].(string)
		ms := bizResults(t, e.do("GET", "/members", nil, w.owner), "member")
		if len(ms) != 2 || ms[0]["id"] != w.memberID || ms[1]["id"] != nina {
			t.Fatalf("members list %v; want creation order", ms)
		}

		// Validation.
		r = e.do("POST", "/members", map[string]any{"name": "N"}, w.owner)
		bizWantField(t, r, "phone", "This field is required.")
		bizWantField(t, r, "email", "This field is required.")
		bizWantField(t, e.do("POST", "/members", map[string]any{"name": "N", "phone": "1", "email": "n1@example.com", "date_of_birth": "28/02/1990"}, w.owner),
			"date_of_birth", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
		bizWantField(t, e.do("POST", "/members", map[string]any{"name": "N", "phone": "1", "email": "n1@example.com", "salary": "1.234"}, w.owner),
			"salary", "Ensure that there are no more than 2 decimal places.")
		bizWantField(t, e.do("POST", "/members", map[string]any{"name": "N", "phone": "123456789012", "email": "n1@example.com"}, w.owner),
			"phone", "Ensure this field has no more than 11 characters.")
		bizWantInvalid(t, e.do("POST", "/members", map[string]any{"name": "N", "nickname": "n"}, w.owner), "nickname")
		// Unique per business (defect 23): same cpf/phone/email is fine in another business.
		bizWantField(t, e.do("POST", "/members", map[string]any{"name": "N", "phone": "81900000000", "email": "n2@example.com", "cpf": "12345678901"}, w.owner),
			"cpf", "member with this cpf already exists.")
		bizWantField(t, e.do("POST", "/members", map[string]any{"name": "N", "phone": "81988887777", "email": "n2@example.com"}, w.owner),
			"phone", "member with this phone already exists.")
		want(t, e.do("POST", "/members", map[string]any{"name": "Nina", "phone": "81988887777", "email": "nina@example.com", "cpf": "12345678901"}, w.other),
			http.StatusCreated)

		// PATCH: partial; null clears a nullable field.
		r = e.do("PATCH", "/members/"+nina, map[string]any{"role": nil, "salary": 3000}, w.owner)
		want(t, r, http.StatusOK)
		if m := bizObj(r, "member"); m["role"] != nil || m["salary"] != "3000.00" || m["name"] != "Nina" {
			t.Fatalf("patched member %v", m)
		}
		bizWantField(t, e.do("PATCH", "/members/"+nina, map[string]any{"name": nil}, w.owner), "name", "This field may not be null.")

		// DELETE without a login just deactivates (defect 25); the wrapper is member.
		r = e.do("DELETE", "/members/"+nina, nil, w.owner)
		want(t, r, http.StatusOK)
		d := bizObj(r, "member")
		bizWantKeys(t, d, "id", "is_active")
		if d["id"] != nina || d["is_active"] != false {
			t.Fatalf("DELETE member answered %s", r.Body)
		}
		if got := bizResults(t, e.do("GET", "/members", nil, w.owner), "member"); len(got) != 2 {
			t.Fatalf("inactive members are listed too; got %d", len(got))
		}
	})
}

// TestBusinessMemberLogins covers conventions S19 and defect 4: the owner sets the login's
// password; without one the login cannot sign in; its username is the phone; losing access or
// being deleted ends the login.
func TestBusinessMemberLogins(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		signIn := func(login, pw string) *resp {
			return e.do("POST", "/token", map[string]string{"username": login, "password": pw}, "")
		}
		// Defect 4: the member id is not the password.
		want(t, signIn(w.memberPhone, w.memberID), http.StatusUnauthorized)

		r := e.do("POST", "/members", map[string]any{"name": "Lia", "phone": "81911112222", "email": "lia@example.com", "has_access": true}, w.owner)
		want(t, r, http.StatusCreated)
		lia := bizObj(r, "member")
		if c, _ := lia["credential"].(map[string]any); c == nil || c["username"] != "81911112222" {
			t.Fatalf("member with access answered %s", r.Body)
		}
		liaID := lia["id"].(string)
		want(t, signIn("81911112222", testPassword), http.StatusUnauthorized) // no password yet
		bizWantField(t, e.do("PATCH", "/members/"+liaID, map[string]any{"password": "12345678"}, w.owner), "password", "This password is entirely numeric.")
		want(t, e.do("PATCH", "/members/"+liaID, map[string]any{"password": testPassword}, w.owner), http.StatusOK)
		r = signIn("81911112222", testPassword)
		want(t, r, http.StatusOK)
		liaTok := r.Str("access")
		if r := e.do("GET", "/me", nil, liaTok); bizObj(r, "user")["is_staff"] != true || bizObj(r, "user")["name"] != "Lia" {
			t.Fatalf("member login /me: %s", r.Body)
		}

		// A phone or e-mail that is already some user's login is refused under that field.
		bizWantField(t, e.do("POST", "/members", map[string]any{"name": "X", "phone": w.memberPhone, "email": "x@example.com", "has_access": true}, w.other),
			"phone", "user with this phone already exists.")
		bizWantField(t, e.do("POST", "/members", map[string]any{"name": "X", "phone": "81955555555", "email": "lia@example.com", "has_access": true}, w.other),
			"email", "user with this email already exists.")
		bizWantField(t, e.do("POST", "/members", map[string]any{"name": "X", "phone": "81955555555", "email": "x@example.com", "has_access": true, "password": "short"}, w.owner),
			"password", "This password is too short. It must contain at least 8 characters.")

		// The login follows the member: a new phone is the new username.
		r = e.do("PATCH", "/members/"+liaID, map[string]any{"phone": "81933334444"}, w.owner)
		want(t, r, http.StatusOK)
		if c := bizObj(r, "member")["credential"].(map[string]any); c["username"] != "81933334444" {
			t.Fatalf("credential after phone change: %v", c)
		}
		want(t, signIn("81933334444", testPassword), http.StatusOK)

		// Withdrawing access ends the login at once (S19); granting it back restores it.
		want(t, e.do("PATCH", "/members/"+liaID, map[string]any{"has_access": false}, w.owner), http.StatusOK)
		want(t, e.do("GET", "/contacts", nil, liaTok), http.StatusUnauthorized)
		want(t, signIn("81933334444", testPassword), http.StatusUnauthorized)
		want(t, e.do("PATCH", "/members/"+liaID, map[string]any{"has_access": "true"}, w.owner), http.StatusOK)
		want(t, signIn("81933334444", testPassword), http.StatusOK)

		// Granting access later creates the login.
		r = e.do("POST", "/members", map[string]any{"name": "Raul", "phone": "81966667777", "email": "raul@example.com"}, w.owner)
		raul := bizObj(r, "member")["id"].(string)
		r = e.do("PATCH", "/members/"+raul, map[string]any{"has_access": true, "password": testPassword}, w.owner)
		want(t, r, http.StatusOK)
		if bizObj(r, "member")["credential"] == nil {
			t.Fatalf("access granted by PATCH: %s", r.Body)
		}
		want(t, signIn("81966667777", testPassword), http.StatusOK)

		// Deleting a member deactivates its login.
		want(t, e.do("DELETE", "/members/"+w.memberID, nil, w.owner), http.StatusOK)
		want(t, e.do("GET", "/contacts", nil, w.member), http.StatusUnauthorized)
		want(t, signIn(w.memberPhone, testPassword), http.StatusUnauthorized)
	})
}
