package ratelimit

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

var minute = Policy{Name: "minute", Quota: 60, Window: time.Minute}

func TestMemoryQuotaAndRefill(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewMemory(func() time.Time { return now })
	ctx := context.Background()
	for i := 0; i < 60; i++ {
		d, _ := m.Take(ctx, "alice", minute)
		if !d.Allowed || d.Remaining != 59-i {
			t.Fatalf("request %d: %+v, want allowed with %d remaining", i+1, d, 59-i)
		}
	}
	d, _ := m.Take(ctx, "alice", minute)
	if d.Allowed || d.RetryAfterSeconds() != 1 || d.Remaining != 0 {
		t.Fatalf("61st request: %+v, want denied, retry after 1s", d)
	}
	if d, _ := m.Take(ctx, "bob", minute); !d.Allowed {
		t.Fatal("another key has its own quota")
	}
	now = now.Add(time.Second)
	if d, _ := m.Take(ctx, "alice", minute); !d.Allowed {
		t.Fatalf("one request a second refills: %+v", d)
	}
	now = now.Add(2 * time.Minute)
	if d, _ := m.Take(ctx, "alice", minute); !d.Allowed || d.Remaining != 59 {
		t.Fatalf("after the window the quota is whole: %+v", d)
	}
}

func TestCheckReportsNearestExhaustion(t *testing.T) {
	m := NewMemory(nil)
	day := Policy{Name: "day", Quota: 3, Window: 24 * time.Hour}
	ctx := context.Background()
	d, _ := Check(ctx, m, "k", []Policy{minute, day})
	if d.Policy.Name != "day" || d.Remaining != 2 {
		t.Fatalf("got %+v, want the day policy with 2 remaining", d)
	}
	Check(ctx, m, "k", []Policy{minute, day})
	Check(ctx, m, "k", []Policy{minute, day})
	d, _ = Check(ctx, m, "k", []Policy{minute, day})
	if d.Allowed || d.Policy.Name != "day" {
		t.Fatalf("got %+v, want denied by day", d)
	}
	if got := PolicyHeader([]Policy{minute, day}); got != `"minute";q=60;w=60, "day";q=3;w=86400` {
		t.Fatalf("policy header %s", got)
	}
	if got := d.Header(); got != `"day";r=0;t=86400` {
		t.Fatalf("header %s", got)
	}
}

func redisURL(t *testing.T) string {
	u := os.Getenv("BURSAR_TEST_REDIS_URL")
	if u == "" {
		t.Skip("BURSAR_TEST_REDIS_URL not set")
	}
	return u
}

// TestRedisSharedBetweenInstances: two limiters on one Redis share one budget.
func TestRedisSharedBetweenInstances(t *testing.T) {
	url := redisURL(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, ca, err := NewRedis(url, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	b, cb, _ := NewRedis(url, log, nil)
	defer cb.Close()
	key := "test-" + ulid.Make().String()
	p := Policy{Name: "minute", Quota: 10, Window: time.Minute}
	allowed := 0
	for i := 0; i < 20; i++ {
		l := Limiter(a)
		if i%2 == 1 {
			l = b
		}
		d, err := l.Take(context.Background(), key, p)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed {
			allowed++
		}
	}
	if allowed != 10 {
		t.Fatalf("two instances allowed %d of 20, want 10 in all", allowed)
	}
}

// TestRedisDownFallsBackToMemory: an unreachable Redis never fails a request.
func TestRedisDownFallsBackToMemory(t *testing.T) {
	l, c, err := NewRedis("redis://127.0.0.1:1/0", slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p := Policy{Name: "minute", Quota: 2, Window: time.Minute}
	var got []bool
	for i := 0; i < 3; i++ {
		d, err := l.Take(context.Background(), "k", p)
		if err != nil {
			t.Fatalf("take %d: %v", i, err)
		}
		got = append(got, d.Allowed)
	}
	if !got[0] || !got[1] || got[2] {
		t.Fatalf("fallback decisions %v, want the memory limiter's [true true false]", got)
	}
}
