package httpapi

import (
	"net/http"
	"net/netip"
	"strconv"
	"testing"

	"github.com/bursar/bursar/internal/ratelimit"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

func TestRateLimits(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	e := newTestEnvWith(t, db, nil, Config{RateLimits: RateLimits{Limiter: ratelimit.NewMemory(nil),
		Minute: 5, Day: 1000, AuthMinute: 3, AuthHour: 50}})

	// Sign-up and sign-in: 3 a minute per client address on top of the general limits (S31).
	_, access := e.signUp("alice") // 2 sign-in-class requests
	r := e.do("POST", "/api/token/", map[string]string{"username": "alice", "password": testPassword}, "")
	want(t, r, http.StatusOK)
	if got := r.Header.Get("RateLimit-Policy"); got != `"minute";q=5;w=60, "day";q=1000;w=86400, "auth-minute";q=3;w=60, "auth-hour";q=50;w=3600` {
		t.Fatalf("RateLimit-Policy = %s", got)
	}
	if got := r.Header.Get("RateLimit"); got != `"auth-minute";r=0;t=60` {
		t.Fatalf("RateLimit = %s, want the auth-minute policy exhausted", got)
	}
	r = e.do("POST", "/token", map[string]string{"username": "alice", "password": testPassword}, "")
	want(t, r, http.StatusTooManyRequests)
	if n, _ := strconv.Atoi(r.Header.Get("Retry-After")); n < 1 || r.errorMessage() != "Request was throttled. Expected available in "+r.Header.Get("Retry-After")+" seconds." {
		t.Fatalf("429 answered %s with Retry-After %q", r.Body, r.Header.Get("Retry-After"))
	}

	// Authenticated requests count per user: 5 a minute.
	for i := 0; i < 5; i++ {
		r = e.do("GET", "/me", nil, access)
		want(t, r, http.StatusOK)
		if got, want := r.Header.Get("RateLimit"), `"minute";r=`+strconv.Itoa(4-i)+`;t=`; len(got) < len(want) || got[:len(want)] != want {
			t.Fatalf("request %d: RateLimit = %s, want prefix %s", i+1, got, want)
		}
	}
	want(t, e.do("GET", "/me", nil, access), http.StatusTooManyRequests)
	// Operational endpoints are never limited.
	for i := 0; i < 10; i++ {
		want(t, e.do("GET", "/healthz", nil, ""), http.StatusOK)
	}
	if r := e.do("GET", "/healthz", nil, ""); r.Header.Get("RateLimit") != "" {
		t.Fatal("/healthz must not carry rate-limit headers")
	}
}

func TestClientIPBehindTrustedProxy(t *testing.T) {
	s := &Server{cfg: Config{RateLimits: RateLimits{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}}
	cases := []struct{ peer, xff, want string }{
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},             // untrusted peer: header ignored
		{"10.1.1.1:5000", "1.2.3.4", "1.2.3.4"},                    // trusted proxy
		{"10.1.1.1:5000", "6.6.6.6, 1.2.3.4, 10.2.2.2", "1.2.3.4"}, // right-most untrusted hop
		{"10.1.1.1:5000", "", "10.1.1.1"},
	}
	for _, tc := range cases {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := s.clientIP(r); got != tc.want {
			t.Errorf("peer %s, X-Forwarded-For %q: got %s, want %s", tc.peer, tc.xff, got, tc.want)
		}
	}
}
