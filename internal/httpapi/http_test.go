package httpapi

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestErrorsUseTheEnvelope(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		_, access := e.signUp("alice")
		big := `{"name":"` + strings.Repeat("x", 1<<20) + `"}`
		cases := []struct {
			name, method, path, ctype, body, token string
			status                                 int
			msg                                    string
		}{
			{"unknown route", "GET", "/nope", "", "", "", 404, "Not found."},
			{"unknown route with slash", "GET", "/nope/", "", "", "", 404, "Not found."},
			{"wrong method before auth", "DELETE", "/me", "", "", "", 405, `Method "DELETE" not allowed.`},
			{"wrong method with slash", "GET", "/register/", "", "", "", 405, `Method "GET" not allowed.`},
			{"too large", "POST", "/register/", "application/json", big, "", 413, "Request body is larger than 1048576 bytes."},
			{"text/plain", "POST", "/register/", "text/plain", "hello", "", 415, `Unsupported media type "text/plain" in request.`},
			{"multipart", "POST", "/register/", "multipart/form-data; boundary=x", "--x--", "", 415, `Unsupported media type "multipart/form-data" in request.`},
			{"no content type", "POST", "/register/", "", `{"a":1}`, "", 415, `Unsupported media type "" in request.`},
			{"malformed JSON", "POST", "/register/", "application/json", `{"username":`, "", 400, "JSON parse error - unexpected EOF."},
			{"two JSON values", "POST", "/register/", "application/json", `{} {}`, "", 400, "JSON parse error."},
			{"array body", "POST", "/register/", "application/json", `[1]`, "", 400, "Validation failed."},
			{"no token", "GET", "/me", "", "", "", 401, "Authentication credentials were not provided."},
			{"charset is fine", "PATCH", "/me/preferences", "application/json; charset=utf-8", `{"get_notification": 1}`, access, 200, ""},
			{"empty body is never 415", "POST", "/api/token/verify/", "", "", "", 400, "Validation failed."},
			{"other JSON media types", "POST", "/register/", "application/vnd.api+json", `{}`, "", 415, `Unsupported media type "application/vnd.api+json" in request.`},
			{"preferences: unknown key", "PATCH", "/me/preferences", "application/json", `{"theme":"dark"}`, access, 400, "Required parameter missing or invalid."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, strings.NewReader(tc.body))
				if tc.ctype != "" {
					req.Header.Set("Content-Type", tc.ctype)
				}
				r := e.send(req, tc.token)
				want(t, r, tc.status)
				if tc.msg == "" {
					return
				}
				env, _ := r.JSON()["error"].(map[string]any)
				if env == nil || env["message"] != tc.msg || env["status"] != float64(tc.status) {
					t.Fatalf("body %s; want the envelope with status %d and message %q", r.Body, tc.status, tc.msg)
				}
				if r.Header.Get("Content-Type") != "application/json" {
					t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
				}
			})
		}
		r := e.do("DELETE", "/me", nil, "")
		if got := r.Header.Get("Allow"); !strings.Contains(got, "GET") {
			t.Fatalf("405 Allow = %q, want GET listed", got)
		}
	})
}

func TestRequestIDAndSystemRoutes(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		req, _ := http.NewRequest("GET", e.srv.URL+"/healthz", nil)
		req.Header.Set("X-Request-ID", "client-chosen-id")
		r := e.send(req, "")
		want(t, r, http.StatusOK)
		if r.Header.Get("X-Request-ID") != "client-chosen-id" {
			t.Fatalf("X-Request-ID = %q, want the client's", r.Header.Get("X-Request-ID"))
		}
		r = e.do("GET", "/readyz/", nil, "")
		want(t, r, http.StatusOK)
		if len(r.Header.Get("X-Request-ID")) < 16 {
			t.Fatalf("generated X-Request-ID = %q", r.Header.Get("X-Request-ID"))
		}
		r = e.do("GET", "/metrics", nil, "")
		want(t, r, http.StatusOK)
		for _, m := range []string{`bursar_http_requests_total{method="GET",route="GET /readyz",status="200"} 1`, "bursar_http_request_duration_seconds_bucket"} {
			if !strings.Contains(string(r.Body), m) {
				t.Fatalf("/metrics lacks %q", m)
			}
		}
		r = e.do("GET", "/openapi.yaml", nil, "")
		want(t, r, http.StatusOK)
		if !bytes.HasPrefix(r.Body, []byte("openapi: 3.0")) {
			t.Fatalf("/openapi.yaml starts %.30q", r.Body)
		}
	})
}

func TestPanicIs500WithRequestID(t *testing.T) {
	var logged bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logged, nil))}
	h := s.requestID(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret internals") })))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	rid := rec.Header().Get("X-Request-ID")
	want := `{"error":{"status":500,"message":"An unexpected error occurred.","request_id":"` + rid + `"}}`
	if rec.Code != 500 || rec.Body.String() != want {
		t.Fatalf("got %d %s, want 500 %s", rec.Code, rec.Body, want)
	}
	if !strings.Contains(logged.String(), "secret internals") {
		t.Fatal("the panic value should be logged")
	}
}

func TestPageLinks(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cases := []struct {
		target    string
		total     int
		next      string
		prev      string
		wantError bool
	}{
		{"/budgets/", 0, "", "", false},
		{"/budgets/?page=1", 50, "", "", false},
		{"/budgets/", 51, "http://h/budgets/?page=2", "", false},
		{"/cash-flows/?page=2&budget=B&x=%20y", 120, "http://h/cash-flows/?budget=B&x=%20y&page=3", "http://h/cash-flows/?budget=B&x=%20y", false},
		{"/cash-flows?budget=B&page=3", 120, "", "http://h/cash-flows?budget=B&page=2", false},
		{"/budgets/?page=3", 100, "", "", true},
		{"/budgets/?page=0", 100, "", "", true},
		{"/budgets/?page=x", 100, "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "http://h"+tc.target, nil)
			s.requestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p, err := pageOf(r)
				if err == nil {
					n := min(p.Limit, max(0, tc.total-p.Offset))
					err = writePage(s, w, r, p, tc.total, make([]int, n))
				}
				if (err != nil) != tc.wantError {
					t.Fatalf("error %v, want error %v", err, tc.wantError)
				}
			})).ServeHTTP(rec, r)
			if tc.wantError {
				return
			}
			body := rec.Body.String()
			for _, l := range []struct{ key, url string }{{"next", tc.next}, {"previous", tc.prev}} {
				want := `"` + l.key + `":null`
				if l.url != "" {
					want = `"` + l.key + `":"` + l.url + `"`
				}
				if !strings.Contains(body, want) {
					t.Fatalf("body %.200s lacks %s", body, want)
				}
			}
		})
	}
}

// TestNonCanonicalPathsAre404: a path with //, ./ or ../ (or an encoded slash before the
// trailing one) is 404 in the envelope for every method, never the mux's redirect with an HTML
// body (conventions: every path answers directly; found by FuzzPathIDs).
func TestNonCanonicalPathsAre404(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		_, access := e.signUp("alice")
		noFollow := *e.srv.Client()
		noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		for _, path := range []string{"/budgets//x", "//budgets", "/budgets/./x", "/budgets/x/..", "/healthz/.",
			"/products//x", "/cash-flows/%2F0/", "/budgets/%2Fx/"} {
			for _, method := range []string{"GET", "DELETE", "PATCH"} {
				t.Run(method+" "+path, func(t *testing.T) {
					req, err := http.NewRequest(method, e.srv.URL+path, nil)
					if err != nil {
						t.Fatal(err)
					}
					req.Header.Set("Authorization", "Bearer "+access)
					res, err := noFollow.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					defer res.Body.Close()
					body, _ := io.ReadAll(res.Body)
					r := &resp{Status: res.StatusCode, Header: res.Header, Body: body}
					if r.Status != http.StatusNotFound || r.errorMessage() != "Not found." || r.Header.Get("Location") != "" {
						t.Fatalf("got %d %s (Location %q); want 404 Not found. in the envelope", r.Status, r.Body, r.Header.Get("Location"))
					}
				})
			}
		}
	})
}
