package auth

import (
	"sync"
	"time"
)

// Checking a token's signature is cheap, but decoding it is not: golang-jwt base64-decodes the
// header and the claims and unmarshals both as JSON on every request, 15% of the server's CPU on
// a page of budgets (issue 6). A token is immutable and only this server's secret signs it, so
// the outcome of that work can be kept: tokenCache maps the exact token text to the claims it
// proved. What depends on the time — expiry and issue time — is checked again on every use
// (claimsCurrent), and the session behind the token is always checked (liveSession). Only tokens
// that parsed are kept, so a client cannot fill the cache with forgeries.
const tokenCacheMax = 8192 // entries; the cache is emptied when full

type tokenCache struct {
	mu sync.RWMutex
	m  map[string]claims
}

func newTokenCache() *tokenCache { return &tokenCache{m: map[string]claims{}} }

// get returns a copy of the claims token proved when it was parsed.
func (c *tokenCache) get(token string) (*claims, bool) {
	c.mu.RLock()
	v, ok := c.m[token]
	c.mu.RUnlock()
	if !ok {
		return nil, false
	}
	return &v, true
}

func (c *tokenCache) put(token string, v *claims) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= tokenCacheMax {
		clear(c.m)
	}
	c.m[token] = *v
}

// claimsCurrent repeats golang-jwt's time checks for claims parsed earlier: the token has not
// expired (exp is required, so always set) and was not issued in the future.
func claimsCurrent(v *claims, now time.Time) bool {
	if v.ExpiresAt == nil || !now.Before(v.ExpiresAt.Time) {
		return false
	}
	return v.IssuedAt == nil || !now.Before(v.IssuedAt.Time)
}
