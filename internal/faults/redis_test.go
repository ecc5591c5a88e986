//go:build faults

package faults

import (
	"context"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestRedisOutage: with rate limits shared through Redis and load running, Redis stops.
// Requests keep succeeding (limits fall back to memory), and once Redis is back Bursar
// returns to it by itself (issue 7, item 4), on either database.
func TestRedisOutage(t *testing.T) {
	url := os.Getenv("BURSAR_TEST_REDIS_URL")
	if url == "" {
		t.Skip("BURSAR_TEST_REDIS_URL not set")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ensureUp(t, "redis", redisUp, redisStart)
	eachBackend(t, func(t *testing.T, b backend) { redisOutage(t, b, rdb, url) })
}

func redisOutage(t *testing.T, b backend, rdb *redis.Client, url string) {
	srv := newServer(t, b.dsn, "REDIS_URL="+url,
		"BURSAR_RATE_LIMIT_MINUTE=1000000", "BURSAR_RATE_LIMIT_DAY=100000000")
	srv.start()
	c := newClient(srv.url())
	w := setup(t, c)
	limitKeys := func() int {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		keys, err := rdb.Keys(ctx, "*bursar:rl:*").Result()
		if err != nil {
			return -1
		}
		return len(keys)
	}
	if n := limitKeys(); n <= 0 {
		t.Fatalf("no rate-limit keys in Redis before the outage (%d): limits are not shared", n)
	}

	var phase atomic.Int32 // 0 before, 1 during the outage, 2 after
	var before, during, after counter
	var slowest [3]atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			r := c.do(context.Background(), "GET", "/budgets/", nil, w.token)
			p := phase.Load()
			[]*counter{&before, &during, &after}[p].add(r.status)
			if e := int64(r.elapsed); e > slowest[p].Load() {
				slowest[p].Store(e)
			}
		}
	}()
	time.Sleep(time.Second)
	if err := sh(redisStop); err != nil {
		t.Fatal(err)
	}
	phase.Store(1)
	stopped := time.Now()
	time.Sleep(3 * time.Second)
	fallbacks, err := srv.metric("bursar_ratelimit_fallback_total")
	if err != nil || fallbacks == 0 {
		t.Errorf("bursar_ratelimit_fallback_total = %v (%v) during the outage, want > 0", fallbacks, err)
	}
	if err := sh(redisStart); err != nil {
		t.Fatal(err)
	}
	if _, ok := waitUp(redisUp, 30*time.Second); !ok {
		t.Fatal("redis did not come back")
	}
	phase.Store(2)
	restarted := time.Now()
	// Bursar retries Redis 5 s after a failure: within 10 s the limits must be in Redis again.
	back := time.Duration(0)
	for time.Since(restarted) < 10*time.Second {
		if limitKeys() > 0 {
			back = time.Since(restarted)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if back == 0 {
		t.Errorf("no rate-limit keys in Redis 10 s after it came back: Bursar did not return to it")
	}
	// and it has stopped deciding in memory
	f1, _ := srv.metric("bursar_ratelimit_fallback_total")
	time.Sleep(time.Second)
	f2, _ := srv.metric("bursar_ratelimit_fallback_total")
	if f2 != f1 {
		t.Errorf("still falling back to memory after Redis returned: %v → %v", f1, f2)
	}
	cancel()
	<-done
	for i, ct := range []*counter{&before, &during, &after} {
		for status, n := range ct.n {
			if status != http.StatusOK {
				t.Errorf("phase %d: %d requests answered %d, want all 200", i, n, status)
			}
		}
	}
	t.Logf("%s: redis down %s: replies before %s (slowest %s), during %s (slowest %s), after %s; %v decisions in memory; "+
		"limits back in Redis %s after it restarted", b.name,
		restarted.Sub(stopped).Round(time.Millisecond), &before, time.Duration(slowest[0].Load()).Round(time.Millisecond), &during, time.Duration(slowest[1].Load()).Round(time.Millisecond),
		&after, f2, back.Round(time.Millisecond))
}
