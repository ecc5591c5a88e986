package ratelimit

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Redis is a Limiter shared by every instance on one Redis. When Redis fails it answers from an
// in-memory limiter (logged and counted) and tries Redis again after a short pause, so an outage
// never takes the API down.
type Redis struct {
	limiter   *redis_rate.Limiter
	fallback  *Memory
	log       *slog.Logger
	fallbacks prometheus.Counter
	pause     time.Duration
	downUntil atomic.Int64 // unix nanoseconds; Redis is skipped until then
}

// NewRedis returns a Limiter on the Redis at url ("redis://host:port/db"). reg may be nil.
func NewRedis(url string, log *slog.Logger, reg prometheus.Registerer) (*Redis, *redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, err
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = 250*time.Millisecond, 250*time.Millisecond, 250*time.Millisecond
	opts.MaxRetries = -1                      // no retries (go-redis: 0 means its default of 3)
	opts.PoolTimeout = 250 * time.Millisecond // a request never waits long for a Redis that is gone
	rdb := redis.NewClient(opts)
	r := &Redis{
		limiter:  redis_rate.NewLimiter(rdb),
		fallback: NewMemory(nil),
		log:      log,
		pause:    5 * time.Second,
		fallbacks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bursar_ratelimit_fallback_total",
			Help: "Rate-limit decisions taken in memory because Redis was unreachable.",
		}),
	}
	if reg != nil {
		reg.MustRegister(r.fallbacks)
	}
	return r, rdb, nil
}

// Take implements Limiter.
func (r *Redis) Take(ctx context.Context, key string, p Policy) (Decision, error) {
	if time.Now().UnixNano() >= r.downUntil.Load() {
		res, err := r.limiter.Allow(ctx, "bursar:rl:"+key, redis_rate.Limit{Rate: p.Quota, Burst: p.Quota, Period: p.Window})
		if err == nil {
			d := Decision{Policy: p, Allowed: res.Allowed > 0, Remaining: res.Remaining, Reset: res.ResetAfter}
			if !d.Allowed {
				d.RetryAfter = res.RetryAfter
			}
			return d, nil
		}
		if ctx.Err() != nil {
			return Decision{}, ctx.Err()
		}
		r.downUntil.Store(time.Now().Add(r.pause).UnixNano())
		r.log.WarnContext(ctx, "redis unreachable; rate limits kept in memory for now", "err", err, "retry_in", r.pause.String())
	}
	r.fallbacks.Inc()
	return r.fallback.Take(ctx, key, p)
}
