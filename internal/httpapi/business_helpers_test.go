package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
)

// bizWorld is a Business-family scene: an owner with a business, a member of it with access,
// the owner of another business, a user who is neither owner nor member (a /register/ user),
// and an owner without a business. Tokens are access tokens; "" is anonymous.
type bizWorld struct {
	e                       *testEnv
	owner, member, other    string
	plain, idle             string
	ownerID, memberUserID   string
	memberID                string
	businessID, otherBizID  string
	memberPhone, memberMail string
}

var bizSeq atomic.Int64

// uniq returns a short unique digit string, for cnpj, phones and names.
func bizUniq() string { return fmt.Sprintf("%08d", bizSeq.Add(1)) }

// ownerSignUp signs an owner up through POST /accounts and signs in.
func (e *testEnv) ownerSignUp(name string) (userID, token string) {
	e.t.Helper()
	r := e.do("POST", "/accounts", map[string]any{"name": name, "email": name + "@example.com",
		"username": name, "password": testPassword}, "")
	want(e.t, r, http.StatusCreated)
	userID = bizObj(r, "user")["id"].(string)
	r = e.do("POST", "/token", map[string]string{"username": name, "password": testPassword}, "")
	want(e.t, r, http.StatusOK)
	return userID, r.Str("access")
}

// newBusiness creates a business for the caller and returns its id.
func (e *testEnv) newBusiness(token string) string {
	e.t.Helper()
	r := e.do("POST", "/business", map[string]any{"legal_name": "Acme " + bizUniq(), "trade_name": "Acme",
		"cnpj": bizUniq()}, token)
	want(e.t, r, http.StatusCreated)
	return bizObj(r, "business")["id"].(string)
}

// newMember adds a member with access and password, signs in with its phone, and returns the
// member's id, its login's id and an access token.
func (e *testEnv) newMember(ownerToken, name string) (memberID, userID, token, phone string) {
	e.t.Helper()
	phone = "9" + bizUniq()
	r := e.do("POST", "/members", map[string]any{"name": name, "phone": phone, "email": name + "@staff.example.com",
		"has_access": true, "password": testPassword}, ownerToken)
	want(e.t, r, http.StatusCreated)
	m := bizObj(r, "member")
	cred := m["credential"].(map[string]any)
	r = e.do("POST", "/token", map[string]string{"username": phone, "password": testPassword}, "")
	want(e.t, r, http.StatusOK)
	return m["id"].(string), cred["id"].(string), r.Str("access"), phone
}

func newBizWorld(t *testing.T, e *testEnv) *bizWorld {
	t.Helper()
	w := &bizWorld{e: e}
	n := bizUniq()
	w.ownerID, w.owner = e.ownerSignUp("olivia" + n)
	w.businessID = e.newBusiness(w.owner)
	w.memberID, w.memberUserID, w.member, w.memberPhone = e.newMember(w.owner, "mark"+n)
	w.memberMail = "mark" + n + "@staff.example.com"
	_, w.other = e.ownerSignUp("oscar" + n)
	w.otherBizID = e.newBusiness(w.other)
	_, w.plain = e.signUp("paula" + n)
	_, w.idle = e.ownerSignUp("ivan" + n)
	return w
}

// eachBiz runs fn on a fresh bizWorld on every backend.
func eachBiz(t *testing.T, fn func(t *testing.T, w *bizWorld)) {
	eachServer(t, func(t *testing.T, e *testEnv) { fn(t, newBizWorld(t, e)) })
}

// bizObj returns the object wrapped under key.
func bizObj(r *resp, key string) map[string]any {
	m, _ := r.JSON()[key].(map[string]any)
	return m
}

// keysOf returns the sorted keys of m.
func bizKeysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// wantKeys fails unless m has exactly keys (S33).
func bizWantKeys(t *testing.T, m map[string]any, keys ...string) {
	t.Helper()
	slices.Sort(keys)
	if got := bizKeysOf(m); !slices.Equal(got, keys) {
		t.Fatalf("keys %v, want %v", got, keys)
	}
}

// wantError fails unless r is an error envelope with status and message, body status equal.
func bizWantError(t *testing.T, r *resp, status int, msg string) {
	t.Helper()
	want(t, r, status)
	e, _ := r.JSON()["error"].(map[string]any)
	if got, _ := e["status"].(float64); int(got) != status || e["message"] != msg {
		t.Fatalf("error %s; want status %d, message %q", r.Body, status, msg)
	}
}

// wantField fails unless r is 400 Validation failed. with msg under field.
func bizWantField(t *testing.T, r *resp, field, msg string) {
	t.Helper()
	bizWantError(t, r, http.StatusBadRequest, "Validation failed.")
	msgs, _ := r.details()[field].([]any)
	if !slices.Contains(msgs, any(msg)) {
		t.Fatalf("details %s; want %q under %s", r.Body, msg, field)
	}
}

// wantInvalid fails unless r is 400 Required parameter missing or invalid. listing names
// under invalid.
func bizWantInvalid(t *testing.T, r *resp, names ...string) {
	t.Helper()
	bizWantError(t, r, http.StatusBadRequest, "Required parameter missing or invalid.")
	e, _ := r.JSON()["error"].(map[string]any)
	var got []string
	if l, ok := e["invalid"].([]any); ok {
		for _, v := range l {
			got = append(got, v.(string))
		}
	}
	if !slices.Equal(got, names) {
		t.Fatalf("invalid %v, want %v (%s)", got, names, r.Body)
	}
}

// results returns the wrapped items of a page under key.
func bizResults(t *testing.T, r *resp, key string) []map[string]any {
	t.Helper()
	want(t, r, http.StatusOK)
	l, _ := r.JSON()["results"].([]any)
	out := make([]map[string]any, 0, len(l))
	for _, it := range l {
		m := it.(map[string]any)
		if key != "" {
			o, ok := m[key].(map[string]any)
			if !ok {
				t.Fatalf("item %v is not wrapped in %q", m, key)
			}
			m = o
		}
		out = append(out, m)
	}
	return out
}

// count returns a page's count.
func bizCount(r *resp) int {
	n, _ := r.JSON()["count"].(float64)
	return int(n)
}

// callers maps each caller kind to its token.
func (w *bizWorld) callers() map[string]string {
	return map[string]string{"owner": w.owner, "member": w.member, "other": w.other, "plain": w.plain,
		"anonymous": ""}
}
