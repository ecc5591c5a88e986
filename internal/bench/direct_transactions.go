package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// txn is one generated ledger transaction. Preparation over HTTP and a direct load generate the
// same transactions for the same index, so the ledger's balance can be checked against the API.
type txn struct {
	typ         string      // "credit" or "debit", alternately
	amount      money.Cents // signed: debits negative
	description string      // a quarter of them mention each of searchWords
}

// txnAt returns the i-th generated transaction: amounts between 1.00 and 999.99.
func txnAt(i int) txn {
	t := txn{typ: "credit", amount: flowAt(i, nil).amount,
		description: "Invoice " + strconv.Itoa(i) + " " + searchWords[i%len(searchWords)]}
	if i%2 == 1 {
		t.typ, t.amount = "debit", -t.amount
	}
	return t
}

// Ledger counts and sums the transactions of one account.
type Ledger struct {
	Count   int
	Balance money.Cents
}

// TxnLoad describes a direct load of transactions into one account.
type TxnLoad struct {
	AccountID  string
	OperatorID string // the user recorded as having entered them (the business owner)
	N          int    // rows to insert
	Batch      int    // rows per transaction
	// The rows' ids (ULIDs) and created_at (their timestamp, which date filters select on) are
	// spread evenly over [End−Span, End), oldest first.
	End  time.Time
	Span time.Duration
}

const txnInsert = `INSERT INTO finance_transactions (id, business_id, account_id, operator_id, type, amount,
	amount_text, description, search_key, created_at) VALUES `

// LoadTransactions inserts l.N transactions into one account straight through SQL, in
// transactions of l.Batch rows made of multi-row INSERTs, and returns their count and sum.
// progress, when not nil, is told of each committed batch.
//
// Each row carries what the store derives when it creates a transaction
// (internal/store/sqlstore/finance_transactions.go): amount_text (sqlstore.FinanceAmountText)
// and search_key (business.Fold of the description). Each batch adds its rows to the account's
// stored balance and transaction counts (in all, and per hour in finance_transaction_hours) in
// its own transaction, as finance's record does for every write, so the API answers
// consistently after a load, and during one. The bench checks that through the API after
// loading (verifyLedger).
func LoadTransactions(ctx context.Context, store *sqlstore.DB, l TxnLoad, progress func(rows int)) (Ledger, error) {
	var t Ledger
	var businessID string
	err := store.Writer().QueryRowContext(ctx, `SELECT business_id FROM finance_accounts WHERE id = $1`, l.AccountID).Scan(&businessID)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("direct load: account %s is not in this database; --direct must name the database the server uses", l.AccountID)
	}
	if err != nil {
		return t, fmt.Errorf("direct load: %w", err)
	}
	l.Batch, l.Span = loadDefaults(l.Batch, l.Span, l.N)
	start := l.End.Add(-l.Span)
	entropy := ulid.Monotonic(rand.NewChaCha8([32]byte{}), 0)
	b := newBulk(store, txnInsert, 10)
	for done := 0; done < l.N; {
		n := min(l.Batch, l.N-done)
		var bt Ledger
		hours := map[int64]int{}
		err := b.batch(ctx, done, n, func(k int, args []any) ([]any, error) {
			x := txnAt(k)
			id, err := spreadID(start, l.Span, k, l.N, entropy)
			if err != nil {
				return nil, err
			}
			at := ulid.Time(id.Time())
			bt.Count++
			bt.Balance += x.amount
			hours[sqlstore.FinanceHour(at)]++
			return append(args, id.String(), businessID, l.AccountID, l.OperatorID, x.typ, int64(x.amount),
				sqlstore.FinanceAmountText(x.amount), x.description, business.Fold(x.description), at.UnixMicro()), nil
		}, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, accountAggregates, l.AccountID, int64(bt.Balance), bt.Count); err != nil {
				return fmt.Errorf("account balance: %w", err)
			}
			return addHours(ctx, tx, b.numbered, businessID, l.AccountID, hours)
		})
		if err != nil {
			return t, fmt.Errorf("direct load: transactions %d–%d: %w", done, done+n-1, err)
		}
		t.Count += bt.Count
		t.Balance += bt.Balance
		done += n
		if progress != nil {
			progress(n)
		}
	}
	return t, nil
}

// accountAggregates adds a batch to the account's stored balance and transaction count, as
// finance's record does (sqlstore's AddFinanceBalance) for the transactions of one write.
const accountAggregates = `UPDATE finance_accounts SET balance = balance + $2,
	transaction_count = transaction_count + $3 WHERE id = $1`

const hoursUpsert = `INSERT INTO finance_transaction_hours (account_id, business_id, hour, transaction_count) VALUES `

// addHours adds a batch's transactions per hour to the account's finance_transaction_hours, as
// sqlstore's AddFinanceHourCount does for the transactions of one write.
func addHours(ctx context.Context, tx *sql.Tx, numbered bool, businessID, accountID string, hours map[int64]int) error {
	keys := slices.Sorted(maps.Keys(hours))
	for len(keys) > 0 {
		chunk := keys[:min(rowsPerInsert, len(keys))]
		keys = keys[len(chunk):]
		args := make([]any, 0, 4*len(chunk))
		for _, h := range chunk {
			args = append(args, accountID, businessID, h, hours[h])
		}
		if _, err := tx.ExecContext(ctx, hoursUpsert+sqlstore.ValuesList(len(chunk), 4, numbered)+` ON CONFLICT (account_id, hour)
			DO UPDATE SET transaction_count = finance_transaction_hours.transaction_count + excluded.transaction_count`,
			args...); err != nil {
			return fmt.Errorf("hour counts: %w", err)
		}
	}
	return nil
}
