package sqlstore

import (
	"context"
	"fmt"
)

// Setting returns the value stored under key, storing gen() first when the key is absent. Every
// instance on one database ends with the same value: the first insert wins (conventions S15).
func (db *DB) Setting(ctx context.Context, key string, gen func() (string, error)) (string, error) {
	var v string
	err := db.read().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if err == nil {
		return v, nil
	}
	fresh, err := gen()
	if err != nil {
		return "", err
	}
	if _, err := db.write().ExecContext(ctx,
		`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, fresh); err != nil {
		return "", fmt.Errorf("store setting %s: %w", key, err)
	}
	if err := db.write().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v); err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}
