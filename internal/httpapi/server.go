// Package httpapi serves both API families over net/http. Handlers are thin: they decode the
// body (readBody), call one service method and encode the answer (writeJSON, writePage); every
// error goes through writeError. Routes are registered without a trailing slash and answer with
// or without one; unknown routes and wrong methods get the JSON envelope (405 keeps Allow).
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bursar/bursar/api"
	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/ratelimit"
)

// Config is what the HTTP layer needs of the configuration.
type Config struct {
	MaxBody        int64
	PublicURL      string // base of pagination links; "" → http:// + Host
	Location       *time.Location
	RequestTimeout time.Duration
	RateLimits     RateLimits
}

// Pinger tells whether the database answers (for /readyz).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are the services the handlers call.
type Deps struct {
	DB       Pinger
	Auth     *auth.Service
	Budgets  *budgets.Service
	Business BusinessServices // the Business family's services (business.go)
	Products ProductServices  // products and inventory (products.go)
	Billing  BillingServices  // payables and receivables (billing.go)
	Log      *slog.Logger
	Registry *prometheus.Registry // metrics are registered here and served at /metrics
	// Unavailable reports whether an error means the database is unreachable (answered 503
	// rather than 500); nil: never.
	Unavailable func(error) bool
}

// Server is the HTTP API.
type Server struct {
	cfg     Config
	db      Pinger
	auth    *auth.Service
	budgets *budgets.Service
	biz     BusinessServices
	prod    ProductServices
	bill    BillingServices
	log     *slog.Logger
	metrics *metrics
	handler http.Handler
	// isOutage is Deps.Unavailable
	isOutage func(error) bool
	routes   []string // "METHOD /path" of every route, in registration order
	// rate-limit policies in effect, computed once
	general, authPolicies, signInPolicies []ratelimit.Policy
}

// handlerFunc is a handler that returns its error for writeError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// New builds the server and its routes.
func New(cfg Config, d Deps) *Server {
	s := &Server{cfg: cfg, db: d.DB, auth: d.Auth, budgets: d.Budgets, biz: d.Business, prod: d.Products, bill: d.Billing, log: d.Log, metrics: newMetrics(d.Registry),
		isOutage: d.Unavailable}
	s.general, s.authPolicies = cfg.RateLimits.general(), cfg.RateLimits.auth()
	s.signInPolicies = append(append([]ratelimit.Policy{}, s.general...), s.authPolicies...)
	rt := newRouter(s)
	s.systemRoutes(rt, d.Registry)
	s.identityRoutes(rt)
	s.budgetsRoutes(rt)  // budgets routes: implemented in budgets.go
	s.businessRoutes(rt) // business routes: implemented in business*.go
	s.productRoutes(rt)  // products and inventory: implemented in products*.go
	s.billingRoutes(rt)  // payables and receivables: implemented in billing*.go
	s.handler = s.requestID(s.observe(s.recoverPanics(s.deadline(rt))))
	s.routes = rt.patterns
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// handle adapts a handlerFunc.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// router is a ServeMux whose patterns have no trailing slash; it strips one from the request
// path, and answers unmatched requests with the envelope.
type router struct {
	s   *Server
	mux *http.ServeMux
	// patterns lists every "METHOD /path" registered, the route table the authorization
	// matrix test walks.
	patterns []string
}

func newRouter(s *Server) *router { return &router{s: s, mux: http.NewServeMux()} }

// public registers a route that needs no token, rate limited per client address.
func (rt *router) public(pattern string, h handlerFunc) { rt.anonymous(pattern, limitClient, h) }

// signIn registers a sign-up or sign-in route: public, with the stricter limits too (S31).
func (rt *router) signIn(pattern string, h handlerFunc) { rt.anonymous(pattern, limitSignIn, h) }

// system registers an operational route: no token, no rate limit (S31).
func (rt *router) system(pattern string, h handlerFunc) { rt.anonymous(pattern, limitNone, h) }

func (rt *router) anonymous(pattern string, kind limitKind, h handlerFunc) {
	s := rt.s
	rt.patterns = append(rt.patterns, pattern)
	rt.mux.Handle(pattern, s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.rateLimit(w, r, kind, ""); err != nil {
			return err
		}
		return h(w, r)
	}))
}

// authed registers a route that needs a valid access token; the user is in the context
// (userFrom). 405 is decided by the mux before this runs (conventions S3). Requests are limited
// per user; failed authentications count against the client address.
func (rt *router) authed(pattern string, h handlerFunc) {
	rt.patterns = append(rt.patterns, pattern)
	rt.mux.Handle(pattern, rt.s.handle(rt.s.requireUser(h)))
}

// raw registers a plain http.Handler, not rate limited.
func (rt *router) raw(pattern string, h http.Handler) {
	rt.patterns = append(rt.patterns, pattern)
	rt.mux.Handle(pattern, h)
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := infoFrom(r.Context())
	info.path = r.URL.Path
	if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
		// Trim the escaped form too: clearing it would turn an encoded slash (%2F) into a
		// real one.
		r.URL.Path = strings.TrimSuffix(p, "/")
		r.URL.RawPath = strings.TrimSuffix(r.URL.RawPath, "/")
	}
	// A path that is not canonical (//, ./, ../) names no route: 404 in the envelope, where
	// the mux would redirect with an HTML body (conventions: no redirects; FuzzPathIDs found it).
	if p := r.URL.EscapedPath(); p != path.Clean(p) {
		info.pattern = "not_found"
		rt.s.writeError(w, r, apperr.ErrNotFound())
		return
	}
	h, pattern := rt.mux.Handler(r)
	if pattern == "" {
		probe := &headerProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.header.Get("Allow"))
			info.pattern = "method_not_allowed"
			rt.s.writeError(w, r, apperr.New(apperr.MethodNotAllowed, `Method "`+r.Method+`" not allowed.`))
			return
		}
		info.pattern = "not_found"
		rt.s.writeError(w, r, apperr.ErrNotFound())
		return
	}
	info.pattern = pattern
	rt.mux.ServeHTTP(w, r)
}

// headerProbe records what the mux's own 404/405 handler would answer, without sending it.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(status int)      { p.status = status }

// systemRoutes are the unauthenticated operational endpoints.
func (s *Server) systemRoutes(rt *router, reg *prometheus.Registry) {
	rt.system("GET /healthz", func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	rt.system("GET /readyz", func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.db.Ping(ctx); err != nil {
			s.log.WarnContext(ctx, "readiness check failed", "err", err)
			return writeJSON(w, http.StatusServiceUnavailable, envelope{Error: envelopeBody{
				Status: http.StatusServiceUnavailable, Message: "The database is not reachable."}})
		}
		return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	rt.raw("GET /metrics", metricsHandler(reg))
	rt.system("GET /openapi.yaml", func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "application/yaml")
		_, err := w.Write(api.Spec)
		return err
	})
}
