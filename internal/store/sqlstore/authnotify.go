package sqlstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// authChannel is the PostgreSQL notification channel of writes to users and sessions; the
// payload is empty: a notification means "some session or user changed" (sessioncache.go).
const authChannel = "bursar_auth"

// listenAuth keeps one connection to the database at dsn listening on authChannel, advancing the
// cache's epoch on every notification, and marks the cache live only while it listens. It
// reconnects after any failure, waiting up to 2 s between attempts. The returned func stops it
// and waits for it to end.
func listenAuth(dsn string, c *sessionCache) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return // Open connected with this DSN already; the cache then stays off
		}
		cfg.RuntimeParams["application_name"] = "bursar-auth-listener"
		if cfg.ConnectTimeout == 0 {
			cfg.ConnectTimeout = 5 * time.Second
		}
		wait := 50 * time.Millisecond
		for ctx.Err() == nil {
			began := time.Now()
			listenOnce(ctx, cfg, c)
			c.live.Store(false)
			c.changed()
			if time.Since(began) > 10*time.Second {
				wait = 50 * time.Millisecond
			}
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			wait = min(2*wait, 2*time.Second)
		}
	}()
	return func() { cancel(); <-done }
}

// listenOnce connects, listens, turns the cache on and follows notifications until the connection
// fails or ctx ends.
func listenOnce(ctx context.Context, cfg *pgx.ConnConfig, c *sessionCache) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+authChannel); err != nil {
		return
	}
	// Writes made before LISTEN took effect sent notifications nobody here received.
	c.changed()
	c.live.Store(true)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return
		}
		c.changed()
	}
}
