package ratelimit

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// Memory is a Limiter for one instance. Per key it keeps one number, the GCRA "theoretical
// arrival time", so the state is small and keys whose time has passed are simply dropped.
type Memory struct {
	now    func() time.Time
	seed   maphash.Seed
	shards [32]memShard
}

type memShard struct {
	mu        sync.Mutex
	tat       map[string]int64 // unix nanoseconds
	lastSweep int64
}

// NewMemory returns an empty in-memory limiter; now may be nil for the wall clock.
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	m := &Memory{now: now, seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].tat = map[string]int64{}
	}
	return m
}

// Take implements Limiter with the generic cell rate algorithm: a burst of the whole quota, then
// one request per window/quota.
func (m *Memory) Take(_ context.Context, key string, p Policy) (Decision, error) {
	now := m.now().UnixNano()
	window := p.Window.Nanoseconds()
	interval := window / int64(p.Quota)
	sh := &m.shards[maphash.String(m.seed, key)%uint64(len(m.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.sweep(now)
	tat := max(sh.tat[key], now)
	next := tat + interval
	if allowAt := next - window; now < allowAt {
		return Decision{Policy: p, Remaining: 0, Reset: time.Duration(tat - now), RetryAfter: time.Duration(allowAt - now)}, nil
	}
	sh.tat[key] = next
	return Decision{Policy: p, Allowed: true, Remaining: int((window - (next - now)) / interval), Reset: time.Duration(next - now)}, nil
}

// sweep drops keys whose quota is whole again, at most once a minute per shard.
func (sh *memShard) sweep(now int64) {
	if now-sh.lastSweep < int64(time.Minute) {
		return
	}
	sh.lastSweep = now
	for k, tat := range sh.tat {
		if tat <= now {
			delete(sh.tat, k)
		}
	}
}
