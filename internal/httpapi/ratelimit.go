package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/ratelimit"
)

// RateLimits configures request limits (conventions S31). A zero quota turns that policy off; a
// nil Limiter turns limiting off.
type RateLimits struct {
	Limiter        ratelimit.Limiter
	Minute, Day    int // per user, or per client address when anonymous
	AuthMinute     int // sign-up and sign-in, per client address, on top of the above
	AuthHour       int
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed
}

func (rl RateLimits) general() []ratelimit.Policy {
	return policies(ratelimit.Policy{Name: "minute", Quota: rl.Minute, Window: time.Minute},
		ratelimit.Policy{Name: "day", Quota: rl.Day, Window: 24 * time.Hour})
}

func (rl RateLimits) auth() []ratelimit.Policy {
	return policies(ratelimit.Policy{Name: "auth-minute", Quota: rl.AuthMinute, Window: time.Minute},
		ratelimit.Policy{Name: "auth-hour", Quota: rl.AuthHour, Window: time.Hour})
}

func policies(ps ...ratelimit.Policy) []ratelimit.Policy {
	var out []ratelimit.Policy
	for _, p := range ps {
		if p.Quota > 0 {
			out = append(out, p)
		}
	}
	return out
}

// limitKind says which limits a route gets.
type limitKind uint8

const (
	limitNone   limitKind = iota // operational endpoints
	limitClient                  // per user, or per client address when anonymous
	limitSignIn                  // limitClient plus the sign-up/sign-in limits per client address
)

// rateLimit takes one request for the caller and sets the RateLimit headers; a denial is a 429
// with Retry-After. Limiter failures never fail the request.
func (s *Server) rateLimit(w http.ResponseWriter, r *http.Request, kind limitKind, userID string) error {
	rl := s.cfg.RateLimits
	if rl.Limiter == nil || kind == limitNone {
		return nil
	}
	ip := s.clientIP(r)
	key := "user:" + userID
	if userID == "" {
		key = "ip:" + ip
	}
	type check struct {
		key string
		ps  []ratelimit.Policy
	}
	checks := []check{{key, s.general}}
	all := s.general
	if kind == limitSignIn {
		checks = append(checks, check{"signin:" + ip, s.authPolicies})
		all = s.signInPolicies
	}
	if len(all) == 0 {
		return nil
	}
	var report ratelimit.Decision
	for i, c := range checks {
		if len(c.ps) == 0 {
			continue
		}
		d, err := ratelimit.Check(r.Context(), rl.Limiter, c.key, c.ps)
		if err != nil {
			s.log.WarnContext(r.Context(), "rate limiter failed; request let through", "err", err)
			return nil
		}
		if i == 0 || report.Policy.Name == "" || !d.Allowed || d.Remaining < report.Remaining {
			report = d
		}
		if !d.Allowed {
			break
		}
	}
	h := w.Header()
	h.Set("RateLimit-Policy", ratelimit.PolicyHeader(all))
	h.Set("RateLimit", report.Header())
	if !report.Allowed {
		n := report.RetryAfterSeconds()
		h.Set("Retry-After", strconv.Itoa(n))
		return apperr.New(apperr.RateLimited, "Request was throttled. Expected available in "+strconv.Itoa(n)+" seconds.")
	}
	return nil
}

// clientIP is the peer address, or, when the peer is a trusted proxy, the right-most address of
// X-Forwarded-For that is not itself a trusted proxy.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		if !s.trusted(h) {
			return h
		}
		host = h
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.RateLimits.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}
