package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
)

const shareColumns = `sh.id, sh.budget_id, sh.user_id, u.username, u.email, sh.role, sh.created_at`

func scanShare(sc budgetRow, extra ...any) (budgets.Share, error) {
	var sh budgets.Share
	var u auth.User
	var username sql.NullString
	var created int64
	dest := append([]any{&sh.ID, &sh.BudgetID, &sh.UserID, &username, &u.Email, &sh.Role, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return sh, err
	}
	if username.Valid {
		u.Username = &username.String
	}
	sh.Username = u.DisplayName()
	sh.CreatedAt = fromMicros(created)
	return sh, nil
}

// CreateShare inserts sh; a second share of one budget with one user is a 400 under
// non_field_errors (translate, conventions S1).
func (db *DB) CreateShare(ctx context.Context, sh *budgets.Share) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO budget_shares (id, budget_id, user_id, role, created_at)
		VALUES ($1, $2, $3, $4, $5)`, sh.ID, sh.BudgetID, sh.UserID, int(sh.Role), micros(sh.CreatedAt))
	if err != nil {
		return fmt.Errorf("create share: %w", translate(err))
	}
	return nil
}

// UpdateShareRole changes a share's role.
func (db *DB) UpdateShareRole(ctx context.Context, id string, role budgets.Role) error {
	if _, err := db.write().ExecContext(ctx, `UPDATE budget_shares SET role = $2 WHERE id = $1`, id, int(role)); err != nil {
		return fmt.Errorf("update share: %w", translate(err))
	}
	return nil
}

// DeleteShare deletes a share.
func (db *DB) DeleteShare(ctx context.Context, id string) error {
	if _, err := db.write().ExecContext(ctx, `DELETE FROM budget_shares WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete share: %w", translate(err))
	}
	return nil
}

// VisibleShare returns a share of a budget the user can see, with the user's membership.
func (db *DB) VisibleShare(ctx context.Context, id, userID string) (*budgets.Share, budgets.Membership, error) {
	var m budgets.Membership
	sh, err := scanShare(db.read().QueryRowContext(ctx, `SELECT `+shareColumns+`, `+budgetMember+`
		FROM budget_shares sh JOIN budgets b ON b.id = sh.budget_id JOIN users u ON u.id = sh.user_id
		WHERE sh.id = $2 AND `+budgetVisible, userID, id), &m.CreatorID, &m.Role)
	if err != nil {
		return nil, m, fmt.Errorf("share %s: %w", id, translate(err))
	}
	return &sh, m, nil
}

// ListShares lists the shares of the budgets the user can see (of budgetID only, unless ""),
// newest first, and their count.
func (db *DB) ListShares(ctx context.Context, userID, budgetID string, p budgets.Page) ([]budgets.Share, int, error) {
	from := `FROM budget_shares sh JOIN users u ON u.id = sh.user_id WHERE sh.budget_id IN ` + visibleBudgetIDs
	args := []any{userID}
	if budgetID != "" {
		from += ` AND sh.budget_id = $2`
		args = append(args, budgetID)
	}
	return budgetsPage(ctx, db, "shares", "", from, shareColumns, "sh.id", args, p,
		func(sc budgetRow) (budgets.Share, error) { return scanShare(sc) })
}

// BudgetShares lists all shares of one budget, newest first.
func (db *DB) BudgetShares(ctx context.Context, budgetID string) ([]budgets.Share, error) {
	rows, err := db.read().QueryContext(ctx, `SELECT `+shareColumns+`
		FROM budget_shares sh JOIN users u ON u.id = sh.user_id
		WHERE sh.budget_id = $1 ORDER BY sh.id DESC`, budgetID)
	if err != nil {
		return nil, fmt.Errorf("budget shares: %w", err)
	}
	defer rows.Close()
	out := []budgets.Share{}
	for rows.Next() {
		sh, err := scanShare(rows)
		if err != nil {
			return nil, fmt.Errorf("budget shares: %w", err)
		}
		out = append(out, sh)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("budget shares: %w", err)
	}
	return out, nil
}
