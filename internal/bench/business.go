package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// The Business family's data set and scenarios: one owner with a business, a ledger account
// holding the prepared transactions, and two hot accounts that 16 clients transfer money between.

// Business is the Business family's data set of a run.
type Business struct {
	Owner      User
	Ledger     string // the account the prepared and created transactions go to
	HotA, HotB string // the accounts the transfer scenario moves money between
	Opening    money.Cents
	Loaded     Ledger // the transactions prepared in the ledger
	// moved counts the transfers the server accepted: [0] from A to B (even workers), [1] from
	// B to A (odd workers), each of transferAmount.
	moved [2]atomic.Int64
	// Payables are settled from the ledger, one per worker, each settle transferAmount;
	// settled counts the settles the server accepted, per payable.
	Payables []string
	settled  []atomic.Int64
}

// payableTotal is each payable's total: enough for about 10^8 settles of transferAmount.
const payableTotal money.Cents = 9_999_999_999

// transferAmount is what one transfer moves.
const transferAmount money.Cents = 100

// searchWords are the descriptions' topics; the search scenario looks for the first.
var searchWords = []string{"coffee beans", "office rent", "paper supplies", "delivery fee"}

// prepareBusiness signs a business owner up, creates the business, its accounts and the ledger's
// transactions.
func (r *runner) prepareBusiness(ctx context.Context) error {
	d := &Business{Opening: 100_000_000} // 1,000,000.00: transfers never drain an account
	r.data.Business = d
	name := fmt.Sprintf("bench-%s-owner", r.data.RunID)
	d.Owner.Username = name
	r.prog.begin("prepare: business owner, business and accounts", 6, 0)
	var u struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if err := r.c.call(ctx, http.MethodPost, "/accounts", "", map[string]string{"name": "Bench owner",
		"email": name + "@bench.example.com", "username": name, "password": Password}, &u); err != nil {
		return err
	}
	var pair struct {
		Access string `json:"access"`
	}
	if err := r.c.call(ctx, http.MethodPost, "/token", "", map[string]string{"username": name,
		"password": Password}, &pair); err != nil {
		return err
	}
	d.Owner.ID, d.Owner.Access = u.User.ID, pair.Access
	r.prog.add(2)
	if err := r.c.call(ctx, http.MethodPost, "/business", d.Owner.Access, map[string]string{"legal_name": "Bench " + r.data.RunID,
		"trade_name": "Bench", "cnpj": "9" + r.data.RunID + "00000"}, nil); err != nil {
		return err
	}
	r.prog.add(1)
	for _, acc := range []struct {
		name string
		id   *string
	}{{"Ledger", &d.Ledger}, {"Hot A", &d.HotA}, {"Hot B", &d.HotB}} {
		var out struct {
			Account struct {
				ID string `json:"id"`
			} `json:"account"`
		}
		if err := r.c.call(ctx, http.MethodPost, "/finance/accounts", d.Owner.Access, map[string]string{"name": acc.name}, &out); err != nil {
			return err
		}
		*acc.id = out.Account.ID
		r.prog.add(1)
	}
	r.prog.end()
	for _, acc := range []string{d.HotA, d.HotB} {
		if err := r.c.call(ctx, http.MethodPost, "/finance/transactions", d.Owner.Access, map[string]string{"type": "credit",
			"amount": d.Opening.String(), "description": "Opening balance", "account": acc}, nil); err != nil {
			return err
		}
	}
	if err := r.prepareTransactions(ctx); err != nil {
		return err
	}
	return r.verifyLedger(ctx)
}

// prepareTransactions fills the ledger: over HTTP, or through SQL with --direct.
func (r *runner) prepareTransactions(ctx context.Context) error {
	d, n := r.data.Business, r.cfg.Transactions
	if r.cfg.Direct != "" {
		return r.direct(ctx, "transactions", n, func(db *sqlstore.DB) error {
			l, err := LoadTransactions(ctx, db, TxnLoad{AccountID: d.Ledger, OperatorID: d.Owner.ID, N: n,
				Batch: r.cfg.Batch, End: time.Now().Add(-time.Minute), Span: 365 * 24 * time.Hour}, r.prog.add)
			d.Loaded = l
			return err
		})
	}
	var mu sync.Mutex
	r.prog.begin("prepare: transactions over HTTP", n, 0)
	defer r.prog.end()
	return parallel(ctx, n, r.cfg.Connections, func(ctx context.Context, i int) error {
		x := txnAt(i)
		if err := r.c.call(ctx, http.MethodPost, "/finance/transactions", d.Owner.Access, map[string]string{"type": x.typ,
			"amount": max(x.amount, -x.amount).String(), "description": x.description, "account": d.Ledger}, nil); err != nil {
			return err
		}
		mu.Lock()
		d.Loaded.Count++
		d.Loaded.Balance += x.amount
		mu.Unlock()
		r.prog.add(1)
		return nil
	})
}

// verifyLedger checks that the API answers the ledger's balance, the business's transaction
// count, and a count of the rows (a date filter wide enough for all of them) as prepared: after
// a direct load this proves the SQL respected what the server keeps besides the rows.
func (r *runner) verifyLedger(ctx context.Context) error {
	d := r.data.Business
	var acc struct {
		Account struct {
			Balance money.Cents `json:"balance"`
		} `json:"account"`
	}
	if err := r.c.call(ctx, http.MethodGet, "/finance/accounts/"+d.Ledger, d.Owner.Access, nil, &acc); err != nil {
		return err
	}
	// The business also holds the two opening credits of the hot accounts.
	want := d.Loaded.Count + 2
	for _, q := range []string{"", "?" + url.Values{"start_date": {"2000-01-01"},
		"end_date": {time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")}}.Encode()} {
		var page struct {
			Count int `json:"count"`
		}
		if err := r.c.call(ctx, http.MethodGet, "/finance/transactions"+q, d.Owner.Access, nil, &page); err != nil {
			return err
		}
		if page.Count != want || acc.Account.Balance != d.Loaded.Balance {
			return fmt.Errorf("bench: the API answers %d transactions (GET /finance/transactions%s) and a ledger balance of %s; "+
				"%d (%d loaded and 2 openings) and %s were prepared", page.Count, q, acc.Account.Balance, want, d.Loaded.Count,
				d.Loaded.Balance)
		}
	}
	return nil
}

// preparePayables creates a supplier and one payable per connection, to be settled.
func (r *runner) preparePayables(ctx context.Context) error {
	d := r.data.Business
	r.prog.begin("prepare: supplier and payables", r.cfg.Connections+1, 0)
	defer r.prog.end()
	var sup struct {
		Supplier struct {
			ID string `json:"id"`
		} `json:"supplier"`
	}
	if err := r.c.call(ctx, http.MethodPost, "/contacts/suppliers", d.Owner.Access, map[string]string{
		"legal_name": "Bench supplier " + r.data.RunID}, &sup); err != nil {
		return err
	}
	r.prog.add(1)
	d.Payables = make([]string, r.cfg.Connections)
	d.settled = make([]atomic.Int64, r.cfg.Connections)
	today := time.Now().UTC().Format("2006-01-02")
	return parallel(ctx, len(d.Payables), r.cfg.Connections, func(ctx context.Context, i int) error {
		var p struct {
			Payment struct {
				ID string `json:"id"`
			} `json:"payment"`
		}
		if err := r.c.call(ctx, http.MethodPost, "/payables", d.Owner.Access, map[string]string{
			"contact": sup.Supplier.ID, "issued_at": today, "due_at": today, "total_amount": payableTotal.String(),
			"notes": fmt.Sprintf("Bench payable %d", i)}, &p); err != nil {
			return err
		}
		d.Payables[i] = p.Payment.ID
		r.prog.add(1)
		return nil
	})
}

// businessScenarios are the Business family's scenarios; they need the /finance/transactions
// routes, and settle-payable the /payables routes.
var businessScenarios = []*Scenario{
	{
		Name: "transactions-list", Family: "business", Probe: "/finance/transactions", Want: http.StatusOK, needs: needBusiness,
		About: "GET /finance/transactions: first page (50) of the business's transactions, newest first",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodGet, "/finance/transactions", e.data.Business.Owner.Access, nil)
		},
	},
	{
		Name: "transactions-date", Family: "business", Probe: "/finance/transactions", Want: http.StatusOK, needs: needBusiness,
		About: "GET /finance/transactions?start_date=…&end_date=…: first page of the last week's transactions",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodGet, "/finance/transactions?"+lastWeek(time.Now()), e.data.Business.Owner.Access, nil)
		},
	},
	{
		Name: "transactions-search", Family: "business", Probe: "/finance/transactions", Want: http.StatusOK, needs: needBusiness,
		About: "GET /finance/transactions?search=coffee: first page of a substring search of the descriptions",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodGet, "/finance/transactions?search=coffee", e.data.Business.Owner.Access, nil)
		},
	},
	{
		Name: "account-detail", Family: "business", Probe: "/finance/transactions", Want: http.StatusOK, needs: needBusiness,
		About: "GET /finance/accounts/{ledger}: the ledger account with its stored balance",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			d := e.data.Business
			return e.c.newRequest(ctx, http.MethodGet, "/finance/accounts/"+d.Ledger, d.Owner.Access, nil)
		},
	},
	{
		Name: "create-transaction", Family: "business", Probe: "/finance/transactions", Want: http.StatusCreated, needs: needBusiness,
		About: "POST /finance/transactions: every worker adds credits to the one ledger account",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodPost, "/finance/transactions", e.data.Business.Owner.Access, e.credit)
		},
	},
	{
		Name: "transfer", Family: "business", Probe: "/finance/transactions", Want: http.StatusCreated, needs: needBusiness,
		About: "POST /finance/transactions type transfer: half the workers move 1.00 from A to B, half back; then no lost update",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodPost, "/finance/transactions", e.data.Business.Owner.Access, e.transfer[w%2])
		},
		done: func(e *env, w, status int) {
			if status == http.StatusCreated {
				e.data.Business.moved[w%2].Add(1)
			}
		},
		check: checkTransfers,
	},
	{
		Name: "settle-payable", Family: "business", Probe: "/payables", Want: http.StatusCreated, needs: needBusiness | needPayables,
		About: "POST /payables/{id}/settle: each worker pays 1.00 of its own payable from the ledger; then no lost update",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			d := e.data.Business
			return e.c.newRequest(ctx, http.MethodPost, "/payables/"+d.Payables[w%len(d.Payables)]+"/settle", d.Owner.Access, e.settle)
		},
		done: func(e *env, w, status int) {
			if status == http.StatusCreated {
				d := e.data.Business
				d.settled[w%len(d.settled)].Add(1)
			}
		},
		check: checkSettles,
	},
}

// checkSettles compares each payable's amount paid with the settles the server accepted.
func checkSettles(ctx context.Context, e *env) (string, error) {
	d := e.data.Business
	total := 0
	for i, id := range d.Payables {
		var out struct {
			Payment struct {
				AmountPaid money.Cents `json:"amount_paid"`
			} `json:"payment"`
		}
		if err := e.home.call(ctx, http.MethodGet, "/payables/"+id, d.Owner.Access, nil, &out); err != nil {
			return "", err
		}
		n := d.settled[i].Load()
		if want := money.Cents(n) * transferAmount; out.Payment.AmountPaid != want {
			return "", fmt.Errorf("lost update: payable %s has %s paid after %d settles of %s, want %s", id,
				out.Payment.AmountPaid, n, transferAmount, want)
		}
		total += int(n)
	}
	return fmt.Sprintf("no lost update: %d payables paid as settled (%s settles)", len(d.Payables), thousands(total)), nil
}

// lastWeek is the query of the transactions dated from seven days before now to tomorrow (UTC),
// so that it covers today in every time zone.
func lastWeek(now time.Time) string {
	day := func(d int) string { return now.UTC().AddDate(0, 0, d).Format("2006-01-02") }
	return url.Values{"start_date": {day(-7)}, "end_date": {day(1)}}.Encode()
}

// checkTransfers compares the hot accounts' balances with the transfers the server accepted:
// a lost update (two transfers reading the same balance) shows as a difference.
func checkTransfers(ctx context.Context, e *env) (string, error) {
	d := e.data.Business
	a2b, b2a := money.Cents(d.moved[0].Load()), money.Cents(d.moved[1].Load())
	want := [2]money.Cents{d.Opening - (a2b-b2a)*transferAmount, d.Opening + (a2b-b2a)*transferAmount}
	var got [2]money.Cents
	for i, acc := range []string{d.HotA, d.HotB} {
		var out struct {
			Account struct {
				Balance money.Cents `json:"balance"`
			} `json:"account"`
		}
		if err := e.home.call(ctx, http.MethodGet, "/finance/accounts/"+acc, d.Owner.Access, nil, &out); err != nil {
			return "", err
		}
		got[i] = out.Account.Balance
	}
	detail := fmt.Sprintf("balances A %s, B %s after %s transfers A→B and %s B→A", got[0], got[1],
		thousands(int(a2b)), thousands(int(b2a)))
	if got != want {
		return "", fmt.Errorf("lost update: %s; want A %s, B %s", detail, want[0], want[1])
	}
	return "no lost update: " + detail, nil
}
