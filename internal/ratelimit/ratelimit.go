// Package ratelimit counts requests per key against quota policies (60 a minute, 1,000 a day …)
// with the generic cell rate algorithm, in memory for one instance or in Redis for several
// (conventions S31).
package ratelimit

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Policy is a quota of requests per window, named for the RateLimit headers.
type Policy struct {
	Name   string
	Quota  int
	Window time.Duration
}

// Decision is the outcome of taking one request under one policy.
type Decision struct {
	Policy     Policy
	Allowed    bool
	Remaining  int           // requests still allowed at once after this one
	Reset      time.Duration // until the quota is whole again
	RetryAfter time.Duration // when denied: until one request is allowed
}

// Limiter takes one request for key under policy p.
type Limiter interface {
	Take(ctx context.Context, key string, p Policy) (Decision, error)
}

// Check takes one request for key under every policy, stopping at the first that denies. It
// returns the decision to report: the denial, else the policy nearest exhaustion.
func Check(ctx context.Context, l Limiter, key string, policies []Policy) (Decision, error) {
	var nearest Decision
	for i, p := range policies {
		d, err := l.Take(ctx, key+"|"+p.Name, p)
		if err != nil {
			return Decision{}, err
		}
		if !d.Allowed {
			return d, nil
		}
		if i == 0 || d.Remaining < nearest.Remaining {
			nearest = d
		}
	}
	return nearest, nil
}

// PolicyHeader renders the RateLimit-Policy header: "minute";q=60;w=60, "day";q=1000;w=86400.
func PolicyHeader(policies []Policy) string {
	parts := make([]string, len(policies))
	for i, p := range policies {
		parts[i] = fmt.Sprintf("%q;q=%d;w=%d", p.Name, p.Quota, int(p.Window/time.Second))
	}
	return strings.Join(parts, ", ")
}

// Header renders the RateLimit header of a decision: "minute";r=59;t=1.
func (d Decision) Header() string {
	return fmt.Sprintf("%q;r=%d;t=%d", d.Policy.Name, d.Remaining, ceilSeconds(d.Reset))
}

// RetryAfterSeconds is the Retry-After value of a denial, at least 1.
func (d Decision) RetryAfterSeconds() int { return max(1, ceilSeconds(d.RetryAfter)) }

func ceilSeconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}
