package httpapi

import (
	"net/http"
	"testing"
)

// TestSecurityHeaders: every response — success, error, token, unknown route, wrong method —
// tells browsers not to sniff, frame, cache or refer it, and names no server software.
func TestSecurityHeaders(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		_, access := e.signUp("hedda")
		for _, c := range []struct {
			method, path string
			body         any
			token        string
			status       int
		}{
			{"POST", "/api/token/", map[string]string{"username": "hedda", "password": testPassword}, "", http.StatusOK},
			{"POST", "/token", map[string]string{"username": "hedda", "password": "wrong"}, "", http.StatusUnauthorized},
			{"GET", "/me", nil, access, http.StatusOK},
			{"GET", "/budgets/", nil, access, http.StatusOK},
			{"GET", "/budgets/", nil, "", http.StatusUnauthorized},
			{"GET", "/no/such/route", nil, "", http.StatusNotFound},
			{"DELETE", "/healthz", nil, "", http.StatusMethodNotAllowed},
			{"GET", "/healthz", nil, "", http.StatusOK},
		} {
			r := e.do(c.method, c.path, c.body, c.token)
			want(t, r, c.status)
			for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
				"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Server": ""} {
				if got := r.Header.Get(k); got != v {
					t.Errorf("%s %s: %s = %q, want %q", c.method, c.path, k, got, v)
				}
			}
		}
	})
}
