package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// flow is one generated cash flow. Preparation over HTTP and a direct load generate the same
// flows for the same index, so their sums can be checked against the API.
type flow struct {
	name     string
	amount   money.Cents
	typ      int // 1 income, 2 expense (budgets.Income, budgets.Expense)
	category string
}

// flowAt returns the i-th generated cash flow: a third are incomes, amounts between 1.00 and
// 999.99, and every fourth has no category.
func flowAt(i int, categories []string) flow {
	f := flow{name: "Flow " + strconv.Itoa(i), amount: money.Cents(100 + (i*7919)%99900), typ: 2}
	if i%3 == 0 {
		f.typ = 1
	}
	if len(categories) > 0 && i%4 != 3 {
		f.category = categories[i%len(categories)]
	}
	return f
}

func (f flow) totals() Totals {
	if f.typ == 1 {
		return Totals{Count: 1, Incomes: f.amount}
	}
	return Totals{Count: 1, Expenses: f.amount}
}

// FlowLoad describes a direct load of cash flows into one budget.
type FlowLoad struct {
	BudgetID   string
	Categories []string // of that budget; flows are spread over them
	N          int      // rows to insert
	Batch      int      // rows per transaction
	// The rows' ids (ULIDs) and created_at are spread evenly over [End−Span, End), oldest first,
	// so they sort below anything the server creates later.
	End  time.Time
	Span time.Duration
}

// rowsPerInsert is the rows of one multi-row INSERT: 10 columns at most stays far below
// SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const rowsPerInsert = 500

const flowInsert = `INSERT INTO cash_flows (id, budget_id, category_id, name, description, amount, type, created_at) VALUES `

// LoadCashFlows inserts l.N cash flows straight into the cash_flows table of db (SQLite or
// PostgreSQL, the server's own schema) in transactions of l.Batch rows, each made of multi-row
// INSERTs, and returns their count and sums. progress, when not nil, is told of each committed
// batch.
//
// The budgets store keeps each budget's incomes, expenses and cash_flow_count on its row, updated
// in the transaction of every cash-flow write (internal/store/sqlstore/budgets_flows.go); each
// batch adds its rows to them in its own transaction, so the API answers consistently after a
// load, and during one. The bench checks that through the API after loading (verifyHot).
func LoadCashFlows(ctx context.Context, store *sqlstore.DB, l FlowLoad, progress func(rows int)) (Totals, error) {
	var t Totals
	var one int
	db := store.Writer()
	err := db.QueryRowContext(ctx, `SELECT 1 FROM budgets WHERE id = $1`, l.BudgetID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("direct load: budget %s is not in this database; --direct must name the database the server uses", l.BudgetID)
	}
	if err != nil {
		return t, fmt.Errorf("direct load: %w", err)
	}
	l.Batch, l.Span = loadDefaults(l.Batch, l.Span, l.N)
	start := l.End.Add(-l.Span)
	entropy := ulid.Monotonic(rand.NewChaCha8([32]byte{}), 0)
	b := newBulk(store, flowInsert, 8)
	for done := 0; done < l.N; {
		n := min(l.Batch, l.N-done)
		var bt Totals
		err := b.batch(ctx, done, n, func(k int, args []any) ([]any, error) {
			f := flowAt(k, l.Categories)
			id, err := spreadID(start, l.Span, k, l.N, entropy)
			if err != nil {
				return nil, err
			}
			var category any
			if f.category != "" {
				category = f.category
			}
			bt.add(f.totals())
			return append(args, id.String(), l.BudgetID, category, f.name, "", int64(f.amount), f.typ,
				ulid.Time(id.Time()).UnixMicro()), nil
		}, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, budgetAggregates, l.BudgetID, int64(bt.Incomes), int64(bt.Expenses), bt.Count); err != nil {
				return fmt.Errorf("budget totals: %w", err)
			}
			return nil
		})
		if err != nil {
			return t, fmt.Errorf("direct load: rows %d–%d: %w", done, done+n-1, err)
		}
		t.add(bt)
		done += n
		if progress != nil {
			progress(n)
		}
	}
	return t, nil
}

// spreadID is the ULID of row k of n spread evenly over [start, start+span), oldest first.
func spreadID(start time.Time, span time.Duration, k, n int, entropy *ulid.MonotonicEntropy) (ulid.ULID, error) {
	at := start.Add(time.Duration(float64(span) * float64(k) / float64(n)))
	return ulid.New(ulid.Timestamp(at), entropy)
}

// budgetAggregates adds a batch to the budget's stored totals and count, as sqlstore's
// addToBudget does for one cash flow.
const budgetAggregates = `UPDATE budgets SET incomes = incomes + $2, expenses = expenses + $3,
	cash_flow_count = cash_flow_count + $4 WHERE id = $1`

// bulk inserts rows into one table with multi-row INSERTs, a batch of them per transaction.
// loadDefaults gives a direct load's batch (rows per transaction) and span (how far back its
// rows are dated, ending now) their defaults: rowsPerInsert, and one millisecond per row.
func loadDefaults(batch int, span time.Duration, n int) (int, time.Duration) {
	if batch < 1 {
		batch = rowsPerInsert
	}
	if span <= 0 {
		span = time.Duration(n) * time.Millisecond
	}
	return batch, span
}

type bulk struct {
	db       *sql.DB
	insert   string // "INSERT INTO t (…) VALUES "
	cols     int
	numbered bool
}

func newBulk(store *sqlstore.DB, insert string, cols int) *bulk {
	// modernc's SQLite looks every $n placeholder up by name as it binds it, a cost that grows
	// with the statement's placeholders; anonymous ones it binds by position.
	return &bulk{db: store.Writer(), insert: insert, cols: cols, numbered: store.Engine() == sqlstore.Postgres}
}

// batch inserts rows [from, from+n) in one transaction: row appends row k's values to args;
// after runs last in the same transaction (the aggregates the store keeps beside the rows).
func (b *bulk) batch(ctx context.Context, from, n int, row func(k int, args []any) ([]any, error), after func(tx *sql.Tx) error) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	stmts := map[int]*sql.Stmt{}
	args := make([]any, 0, b.cols*rowsPerInsert)
	for i := from; i < from+n; i += rowsPerInsert {
		rows := min(rowsPerInsert, from+n-i)
		st, ok := stmts[rows]
		if !ok {
			if st, err = tx.PrepareContext(ctx, b.insert+sqlstore.ValuesList(rows, b.cols, b.numbered)); err != nil {
				return err
			}
			stmts[rows] = st
		}
		args = args[:0]
		for k := i; k < i+rows; k++ {
			if args, err = row(k, args); err != nil {
				return err
			}
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	if err := after(tx); err != nil {
		return err
	}
	return tx.Commit()
}
