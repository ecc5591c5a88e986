//go:build faults

package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

const password = "Plenty-of-42-entropy"

// world is what the load works on: one owner with a business, three accounts, a receivable
// to settle in parts, a product with tracked stock, and a budget.
type world struct {
	token      string
	business   string
	accounts   []string
	receivable string
	inventory  string
	budget     string
}

// setup creates a world through the API.
func setup(t *testing.T, c *client) *world {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("olivia%d", time.Now().UnixNano()%1e9)
	c.do(ctx, "POST", "/accounts", map[string]any{"name": name, "email": name + "@example.com",
		"username": name, "password": password}, "").must(t, http.StatusCreated)
	w := &world{token: c.do(ctx, "POST", "/token", map[string]any{"username": name, "password": password}, "").
		must(t, http.StatusOK).body["access"].(string)}
	w.business = c.do(ctx, "POST", "/business", map[string]any{"legal_name": "Acme " + name, "trade_name": "Acme",
		"cnpj": fmt.Sprintf("%014d", time.Now().UnixNano()%1e14)}, w.token).must(t, http.StatusCreated).obj("business")["id"].(string)
	for _, a := range []string{"Till", "Bank", "Savings"} {
		r := c.do(ctx, "POST", "/finance/accounts", map[string]any{"name": a}, w.token).must(t, http.StatusCreated)
		w.accounts = append(w.accounts, r.obj("account")["id"].(string))
	}
	customer := c.do(ctx, "POST", "/contacts/customers", map[string]any{"name": "Maria"}, w.token).
		must(t, http.StatusCreated).obj("customer")["id"].(string)
	w.receivable = c.do(ctx, "POST", "/receivables", map[string]any{"contact": customer, "issued_at": "2026-01-01",
		"due_at": time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly), "total_amount": "250000.00", "notes": "Invoice"},
		w.token).must(t, http.StatusCreated).obj("payment")["id"].(string)
	product := c.do(ctx, "POST", "/products", map[string]any{"name": "Pen", "stock": 500}, w.token).
		must(t, http.StatusCreated).obj("product")["id"].(string)
	for _, it := range c.do(ctx, "GET", "/products/inventory", nil, w.token).must(t, http.StatusOK).body["results"].([]any) {
		if inv := it.(map[string]any)["inventory"].(map[string]any); inv["product"].(map[string]any)["id"] == product {
			w.inventory = inv["id"].(string)
		}
	}
	if w.inventory == "" {
		t.Fatal("no inventory for the product")
	}
	w.budget = c.do(ctx, "POST", "/budgets/", map[string]any{"name": "Faults"}, w.token).must(t, http.StatusCreated).body["id"].(string)
	return w
}

// outcome is what a client knows of a write: acknowledged (2xx), refused (4xx: nothing may
// have been applied), or unknown (no answer, or 5xx: it may or may not have been committed,
// as with any database whose acknowledgement is lost).
type outcome int

const (
	acked outcome = iota
	refused
	unknown
)

func outcomeOf(r reply) outcome {
	switch {
	case r.status >= 200 && r.status < 300:
		return acked
	case r.status >= 400 && r.status < 500:
		return refused
	}
	return unknown
}

type opKind string

const (
	opCredit   opKind = "credit"
	opDebit    opKind = "debit"
	opTransfer opKind = "transfer"
	opCashFlow opKind = "cash flow"
	opDelete   opKind = "delete"
	opSettle   opKind = "settle"
	opStock    opKind = "stock movement"
)

// op is one write and what its client learnt.
type op struct {
	kind    opKind
	key     string // the description (transactions) or name (cash flows): unique per op
	id      string // the created object's id, when acknowledged; the target, for a delete
	outcome outcome
	status  int
	err     error // the transport error, when no answer came
}

// ledger records every write the load made.
type ledger struct {
	mu       sync.Mutex
	ops      []op
	n        map[outcome]int
	statuses map[int]int    // status → writes; 0: no answer
	kinds    map[opKind]int // acknowledged writes by kind
}

func (l *ledger) add(o op) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ops = append(l.ops, o)
	if l.n == nil {
		l.n, l.statuses, l.kinds = map[outcome]int{}, map[int]int{}, map[opKind]int{}
	}
	if o.outcome == acked {
		l.kinds[o.kind]++
	}
	l.n[o.outcome]++
	l.statuses[o.status]++
}

func (l *ledger) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprintf("%d writes: %d acknowledged %v, %d refused, %d unknown (by status: %v)", len(l.ops), l.n[acked], l.kinds,
		l.n[refused], l.n[unknown], l.statuses)
}

// load runs workers that write at random until ctx ends; every write goes into l. Requests
// do not use ctx, so a write in flight when the server dies ends on its own (unknown).
// onReply, when set, sees every reply.
func load(ctx context.Context, c *client, w *world, l *ledger, seed uint64, workers int, tag string, onReply func(reply)) {
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			var mine []string // this worker's acknowledged credits, candidates for deletion
			for seq := 0; ctx.Err() == nil; seq++ {
				key := fmt.Sprintf("%s-w%d-%d", tag, i, seq)
				amt := money.Cents(1 + rng.IntN(100000)).String()
				acct := w.accounts[rng.IntN(len(w.accounts))]
				var o op
				var r reply
				switch k := rng.IntN(24); {
				case k < 7:
					o = op{kind: opCredit, key: key}
					r = c.do(context.Background(), "POST", "/finance/transactions", map[string]any{"type": "credit",
						"amount": amt, "account": acct, "description": key}, w.token)
				case k < 10:
					o = op{kind: opDebit, key: key}
					r = c.do(context.Background(), "POST", "/finance/transactions", map[string]any{"type": "debit",
						"amount": money.Cents(1 + rng.IntN(1000)).String(), "account": acct, "description": key}, w.token)
				case k < 14:
					o = op{kind: opTransfer, key: key}
					to := w.accounts[rng.IntN(len(w.accounts))]
					r = c.do(context.Background(), "POST", "/finance/transactions", map[string]any{"type": "transfer",
						"amount": money.Cents(1 + rng.IntN(1000)).String(), "account": acct, "send_to": to, "description": key}, w.token)
				case k < 18 || (k >= 22 && len(mine) == 0):
					o = op{kind: opCashFlow, key: key}
					r = c.do(context.Background(), "POST", "/cash-flows/", map[string]any{"budget": w.budget, "name": key,
						"amount": amt, "type": 1 + rng.IntN(2)}, w.token)
				case k < 20:
					o = op{kind: opSettle}
					r = c.do(context.Background(), "POST", "/receivables/"+w.receivable+"/settle", map[string]any{
						"amount": money.Cents(1 + rng.IntN(10000)).String(), "account": acct}, w.token)
				case k < 22:
					o = op{kind: opStock}
					r = c.do(context.Background(), "POST", "/products/inventory/"+w.inventory+"/transactions", map[string]any{
						"type": []string{"inbound", "outbound"}[rng.IntN(2)], "quantity": 1 + rng.IntN(5)}, w.token)
				default:
					j := rng.IntN(len(mine))
					o = op{kind: opDelete, id: mine[j]}
					mine = append(mine[:j], mine[j+1:]...)
					r = c.do(context.Background(), "DELETE", "/finance/transactions/"+o.id, nil, w.token)
				}
				o.outcome, o.status, o.err = outcomeOf(r), r.status, r.err
				if o.outcome == acked && o.kind != opDelete && o.kind != opSettle && o.kind != opStock {
					if o.kind == opCashFlow {
						o.id, _ = r.body["id"].(string)
					} else {
						o.id, _ = r.obj("transaction")["id"].(string)
					}
					if o.kind == opCredit {
						mine = append(mine, o.id)
					}
				}
				l.add(o)
				if onReply != nil {
					onReply(r)
				}
			}
		}()
	}
	wg.Wait()
}

// verify checks, in SQL and through the API, that every acknowledged write is there, no
// refused write left a trace, every unknown one is all there or not at all, and the
// invariants hold. It returns how many writes it checked and the rows found per write key.
func verify(t *testing.T, c *client, db *sqlstore.DB, w *world, l *ledger) (int, map[string]int) {
	t.Helper()
	ctx := context.Background()
	group := func(q string, arg string) map[string]int {
		rows, err := db.Reader().QueryContext(ctx, q, arg)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]int{}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			if _, after, ok := strings.Cut(k, " • "); ok {
				k = after // a transfer leg: "Transfer Sent to Bank • <description>"
			}
			m[k] += n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return m
	}
	txs := group(`SELECT description, COUNT(*) FROM finance_transactions WHERE business_id = $1 GROUP BY description`, w.business)
	flows := group(`SELECT name, COUNT(*) FROM cash_flows WHERE budget_id = $1 GROUP BY name`, w.budget)
	deleted, maybeDeleted := map[string]bool{}, map[string]bool{}
	for _, o := range l.ops {
		if o.kind == opDelete {
			switch o.outcome {
			case acked:
				deleted[o.id] = true
			case unknown:
				maybeDeleted[o.id] = true
			}
		}
	}
	checked := 0
	// Settles and stock movements carry no key of ours: their rows are counted instead.
	counted := map[opKind][2]int{} // kind → acknowledged, unknown
	for _, o := range l.ops {
		if o.kind == opSettle || o.kind == opStock {
			n := counted[o.kind]
			switch o.outcome {
			case acked:
				n[0]++
			case unknown:
				n[1]++
			}
			counted[o.kind] = n
			checked++
		}
	}
	count := func(q, arg string) int {
		var n int
		if err := db.Reader().QueryRowContext(ctx, q, arg).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got, n := count(`SELECT COUNT(*) FROM finance_transactions WHERE payment_id = $1`, w.receivable), counted[opSettle]; got < n[0] || got > n[0]+n[1] {
		t.Errorf("the receivable has %d settling transactions; %d settles were acknowledged and %d unknown", got, n[0], n[1])
	}
	// the product's initial stock is a movement too
	if got, n := count(`SELECT COUNT(*) FROM inventory_transactions WHERE inventory_id = $1`, w.inventory)-1, counted[opStock]; got < n[0] || got > n[0]+n[1] {
		t.Errorf("the inventory has %d movements; %d were acknowledged and %d unknown", got, n[0], n[1])
	}
	for _, o := range l.ops {
		if o.kind == opDelete || o.kind == opSettle || o.kind == opStock {
			continue
		}
		got, legs := txs[o.key], 1
		switch o.kind {
		case opCashFlow:
			got = flows[o.key]
		case opTransfer:
			legs = 2
		}
		var allowed []int
		switch {
		case o.outcome == refused:
			allowed = []int{0}
		case o.outcome == unknown:
			allowed = []int{0, legs}
		case deleted[o.id]:
			allowed = []int{0}
		case maybeDeleted[o.id]:
			allowed = []int{0, legs}
		default:
			allowed = []int{legs}
		}
		ok := false
		for _, a := range allowed {
			ok = ok || got == a
		}
		if !ok {
			t.Errorf("%s %q (status %d): %d rows, want one of %v", o.kind, o.key, o.status, got, allowed)
		}
		checked++
	}
	invariants(t, c, db, w)
	for k, n := range flows {
		txs[k] += n
	}
	return checked, txs
}

// invariants checks every account's balance against its transactions (in SQL and through
// the API), that transfers net to zero with both legs, and the budget's stored totals.
func invariants(t *testing.T, c *client, db *sqlstore.DB, w *world) {
	t.Helper()
	ctx := context.Background()
	one := func(q string, args ...any) int64 {
		var n int64
		if err := db.Reader().QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for _, a := range w.accounts {
		stored := one(`SELECT balance FROM finance_accounts WHERE id = $1`, a)
		moves := one(`SELECT COALESCE(SUM(amount), 0) FROM finance_transactions WHERE account_id = $1`, a)
		if stored != moves {
			t.Errorf("account %s: balance %s, its transactions sum to %s", a, money.Cents(stored), money.Cents(moves))
		}
		r := c.do(ctx, "GET", "/finance/accounts/"+a, nil, w.token).must(t, http.StatusOK)
		if got := r.obj("account")["balance"]; got != money.Cents(moves).String() {
			t.Errorf("GET account %s: balance %v, its transactions sum to %s", a, got, money.Cents(moves))
		}
	}
	if n := one(`SELECT COUNT(*) FROM finance_transactions t JOIN finance_transactions l ON l.id = t.linked_id
		WHERE t.business_id = $1 AND t.amount + l.amount <> 0`, w.business); n != 0 {
		t.Errorf("%d transfer legs do not net to zero", n)
	}
	if n := one(`SELECT COUNT(*) FROM finance_transactions WHERE business_id = $1 AND type = 'transfer' AND linked_id IS NULL`, w.business); n != 0 {
		t.Errorf("%d transfer legs without their other leg", n)
	}
	// The receivable: what it says was paid is what its transactions paid, never more than due.
	pm := c.do(ctx, "GET", "/receivables/"+w.receivable, nil, w.token).must(t, http.StatusOK).obj("payment")
	paid, _ := money.Parse(fmt.Sprint(pm["amount_paid"]))
	total, _ := money.Parse(fmt.Sprint(pm["total_amount"]))
	byTx := one(`SELECT COALESCE(SUM(CASE WHEN amount < 0 THEN -amount ELSE amount END), 0) FROM finance_transactions WHERE payment_id = $1`, w.receivable)
	if int64(paid) != byTx || paid > total {
		t.Errorf("receivable: amount_paid %s of %s, its transactions paid %s", paid, total, money.Cents(byTx))
	}
	// Stock: the quantity is the sum of the movements, never negative.
	inv := c.do(ctx, "GET", "/products/inventory/"+w.inventory, nil, w.token).must(t, http.StatusOK).obj("inventory")
	q, _ := inv["quantity"].(float64)
	if moved := one(`SELECT COALESCE(SUM(quantity), 0) FROM inventory_transactions WHERE inventory_id = $1`, w.inventory); q < 0 || int64(q) != moved {
		t.Errorf("stock %v, its movements sum to %d", q, moved)
	}
	inc := one(`SELECT COALESCE(SUM(amount), 0) FROM cash_flows WHERE budget_id = $1 AND type = 1`, w.budget)
	exp := one(`SELECT COALESCE(SUM(amount), 0) FROM cash_flows WHERE budget_id = $1 AND type = 2`, w.budget)
	cnt := one(`SELECT COUNT(*) FROM cash_flows WHERE budget_id = $1`, w.budget)
	if si, se, sc := one(`SELECT incomes FROM budgets WHERE id = $1`, w.budget), one(`SELECT expenses FROM budgets WHERE id = $1`, w.budget),
		one(`SELECT cash_flow_count FROM budgets WHERE id = $1`, w.budget); si != inc || se != exp || sc != cnt {
		t.Errorf("budget stores incomes %d, expenses %d, count %d; its cash flows give %d, %d, %d", si, se, sc, inc, exp, cnt)
	}
}
