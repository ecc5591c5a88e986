package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/bursar/bursar/internal/jobs/summary"
)

// The daily budgets summary (internal/jobs/summary): who is due one, the budgets it lists,
// and summary_sends, the record that keeps a day's summary from going out twice.

// SummaryRecipients lists the ids of the active, opted-in users with an e-mail address who own
// or share at least one budget, in id order (summary.Store).
func (db *DB) SummaryRecipients(ctx context.Context) ([]string, error) {
	rows, err := db.read().QueryContext(ctx, `SELECT u.id FROM users u
		WHERE u.is_active AND u.get_notification AND u.email <> ''
		AND (EXISTS (SELECT 1 FROM budgets b WHERE b.creator_id = u.id)
			OR EXISTS (SELECT 1 FROM budget_shares s WHERE s.user_id = u.id))
		ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("summary recipients: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("summary recipients: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summary recipients: %w", err)
	}
	return ids, nil
}

// SummaryBudgets lists the budgets the user owns or shares with their stored incomes and
// expenses, newest first (summary.Store).
func (db *DB) SummaryBudgets(ctx context.Context, userID string) ([]summary.Budget, error) {
	rows, err := db.read().QueryContext(ctx, `SELECT b.id, b.name, b.incomes, b.expenses FROM budgets b
		WHERE b.id IN `+visibleBudgetIDs+` ORDER BY b.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("summary budgets: %w", err)
	}
	defer rows.Close()
	var out []summary.Budget
	for rows.Next() {
		var b summary.Budget
		if err := rows.Scan(&b.ID, &b.Name, &b.Incomes, &b.Expenses); err != nil {
			return nil, fmt.Errorf("summary budgets: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summary budgets: %w", err)
	}
	return out, nil
}

// ClaimSummary inserts the delivery record of the user's summary of day; false when it exists
// (summary.Store).
func (db *DB) ClaimSummary(ctx context.Context, userID, day string, at time.Time) (bool, error) {
	res, err := db.write().ExecContext(ctx, `INSERT INTO summary_sends (user_id, day, claimed_at)
		VALUES ($1, $2, $3) ON CONFLICT (user_id, day) DO NOTHING`, userID, day, micros(at))
	if err != nil {
		return false, fmt.Errorf("claim summary: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim summary: %w", err)
	}
	return n == 1, nil
}

// MarkSummarySent sets the record's sent_at (summary.Store).
func (db *DB) MarkSummarySent(ctx context.Context, userID, day string, at time.Time) error {
	_, err := db.write().ExecContext(ctx, `UPDATE summary_sends SET sent_at = $3 WHERE user_id = $1 AND day = $2`,
		userID, day, micros(at))
	if err != nil {
		return fmt.Errorf("mark summary sent: %w", err)
	}
	return nil
}

// ReleaseSummary deletes the record unless it was marked sent (summary.Store).
func (db *DB) ReleaseSummary(ctx context.Context, userID, day string) error {
	_, err := db.write().ExecContext(ctx, `DELETE FROM summary_sends WHERE user_id = $1 AND day = $2 AND sent_at IS NULL`,
		userID, day)
	if err != nil {
		return fmt.Errorf("release summary: %w", err)
	}
	return nil
}

// PruneSummaries deletes the records of the days before day (summary.Store).
func (db *DB) PruneSummaries(ctx context.Context, before string) error {
	if _, err := db.write().ExecContext(ctx, `DELETE FROM summary_sends WHERE day < $1`, before); err != nil {
		return fmt.Errorf("prune summaries: %w", err)
	}
	return nil
}

var _ summary.Store = (*DB)(nil)
