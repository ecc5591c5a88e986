package auth

import (
	"bytes"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/clock"
)

// A token served from the cache must be accepted and refused exactly when a fresh parse would be:
// at every instant around its issue time and its expiry.
func TestTokenCacheAgreesWithParsing(t *testing.T) {
	start := time.Date(2026, 12, 6, 12, 0, 0, 500_000_000, time.UTC)
	clk := clock.NewFixed(start)
	cfg := Config{Secret: bytes.Repeat([]byte("s"), 32)}
	cached := &Service{cfg: cfg, clock: clk, tokens: newTokenCache()}
	tok, err := cached.sign(typeAccess, "u1", "s1", "j1", start, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cached.parse(tok); err != nil { // fills the cache
		t.Fatal(err)
	}
	if _, ok := cached.tokens.get(tok); !ok {
		t.Fatal("a token that parsed is not in the cache")
	}
	iat := start.Truncate(time.Second) // JWT times are whole seconds
	exp := iat.Add(time.Hour)
	for _, at := range []time.Time{iat.Add(-time.Second), iat.Add(-time.Nanosecond), iat, start,
		exp.Add(-time.Second), exp.Add(-time.Nanosecond), exp, exp.Add(time.Second)} {
		clk.Set(at)
		fresh := &Service{cfg: cfg, clock: clk, tokens: newTokenCache()}
		_, want := fresh.parse(tok)
		got, err := cached.parse(tok)
		if (err == nil) != (want == nil) {
			t.Fatalf("at %s: cached parse err %v, fresh parse err %v", at.Format(time.RFC3339Nano), err, want)
		}
		if err == nil && (got.UserID != "u1" || got.SessionID != "s1" || got.ID != "j1" || got.TokenType != typeAccess) {
			t.Fatalf("at %s: cached claims %+v", at.Format(time.RFC3339Nano), got)
		}
	}
}

// Only tokens that parsed are kept: a forgery is refused every time and never stored.
func TestTokenCacheKeepsNoForgery(t *testing.T) {
	now := time.Now()
	s := &Service{cfg: Config{Secret: bytes.Repeat([]byte("s"), 32)}, clock: clock.NewFixed(now), tokens: newTokenCache()}
	other := &Service{cfg: Config{Secret: bytes.Repeat([]byte("x"), 32)}, clock: clock.NewFixed(now), tokens: newTokenCache()}
	forged, err := other.sign(typeAccess, "u1", "s1", "j1", now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.parse(forged); err == nil {
			t.Fatal("a token signed with another secret parsed")
		}
	}
	if _, ok := s.tokens.get(forged); ok {
		t.Fatal("a forged token is in the cache")
	}
}

// A full cache is emptied rather than grown.
func TestTokenCacheIsBounded(t *testing.T) {
	c := newTokenCache()
	for i := range tokenCacheMax + 10 {
		c.put(string(rune('a'+i%26))+time.Duration(i).String(), &claims{UserID: "u"})
	}
	if n := len(c.m); n > tokenCacheMax {
		t.Fatalf("cache holds %d entries, more than %d", n, tokenCacheMax)
	}
}
