package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/bursar/bursar/internal/money"
)

// Password is the password of every user a bench run registers (bench-<run>-<n>): they are
// throwaway load-test accounts.
const Password = "Quokka-marmalade-917"

// User is a user registered for this run.
type User struct {
	ID       string
	Username string
	Access   string
}

// Data is the data set a run prepared on the server.
type Data struct {
	RunID   string // makes this run's names unique
	Users   []User
	Budgets [][]string // each user's own budgets
	// Hot is the budget the read and write scenarios hit: the first user's first budget, shared
	// with every other user as editor.
	Hot        string
	Categories []string // of the hot budget
	Flows      Totals   // of the hot budget: what preparation put in
	Business   *Business
}

// Totals counts and sums a set of cash flows.
type Totals struct {
	Count    int
	Incomes  money.Cents
	Expenses money.Cents
}

func (t *Totals) add(o Totals) {
	t.Count += o.Count
	t.Incomes += o.Incomes
	t.Expenses += o.Expenses
}

// newRunID returns 8 random hex digits; usernames of a run are bench-<id>-<n>.
func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// parallel runs fn(i) for every i in [0, n) on at most workers goroutines. The first error stops
// the others and is returned.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, workers) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := fn(ctx, i); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}

// prepareUsers registers cfg.Users users and signs each in.
func (r *runner) prepareUsers(ctx context.Context) error {
	d := r.data
	d.Users = make([]User, r.cfg.Users)
	r.prog.begin("prepare: register and sign in users", len(d.Users), 0)
	defer r.prog.end()
	return parallel(ctx, len(d.Users), r.cfg.Connections, func(ctx context.Context, i int) error {
		u := &d.Users[i]
		u.Username = fmt.Sprintf("bench-%s-%d", d.RunID, i)
		var reg struct {
			ID string `json:"id"`
		}
		if err := r.c.call(ctx, http.MethodPost, "/register/", "", map[string]string{"username": u.Username,
			"password": Password, "email": u.Username + "@bench.example.com"}, &reg); err != nil {
			return err
		}
		var pair struct {
			Access string `json:"access"`
		}
		if err := r.c.call(ctx, http.MethodPost, "/api/token/", "", map[string]string{"username": u.Username,
			"password": Password}, &pair); err != nil {
			return err
		}
		u.ID, u.Access = reg.ID, pair.Access
		r.prog.add(1)
		return nil
	})
}

// prepareBudgets creates every user's budgets, shares the hot one with the other users as editors
// and gives it its categories; the cash flows come after (prepareFlows).
func (r *runner) prepareBudgets(ctx context.Context) error {
	d, per := r.data, r.cfg.Budgets
	d.Budgets = make([][]string, len(d.Users))
	for i := range d.Budgets {
		d.Budgets[i] = make([]string, per)
	}
	r.prog.begin("prepare: budgets", len(d.Users)*per, 0)
	err := parallel(ctx, len(d.Users)*per, r.cfg.Connections, func(ctx context.Context, k int) error {
		i, j := k/per, k%per
		var b struct {
			ID string `json:"id"`
		}
		if err := r.c.call(ctx, http.MethodPost, "/budgets/", d.Users[i].Access, map[string]string{
			"name": fmt.Sprintf("Budget %d.%d", i, j), "description": "bench run " + d.RunID}, &b); err != nil {
			return err
		}
		d.Budgets[i][j] = b.ID
		r.prog.add(1)
		return nil
	})
	r.prog.end()
	if err != nil {
		return err
	}
	d.Hot = d.Budgets[0][0]
	owner := d.Users[0].Access
	r.prog.begin("prepare: shares of the hot budget", len(d.Users)-1, 0)
	err = parallel(ctx, len(d.Users)-1, r.cfg.Connections, func(ctx context.Context, i int) error {
		r.prog.add(1)
		return r.c.call(ctx, http.MethodPost, "/budget-share/", owner, map[string]any{
			"budget": d.Hot, "shared_with": d.Users[i+1].Username, "role": 1}, nil)
	})
	r.prog.end()
	if err != nil {
		return err
	}
	d.Categories = make([]string, r.cfg.Categories)
	r.prog.begin("prepare: categories of the hot budget", len(d.Categories), 0)
	defer r.prog.end()
	return parallel(ctx, len(d.Categories), r.cfg.Connections, func(ctx context.Context, i int) error {
		var c struct {
			ID string `json:"id"`
		}
		if err := r.c.call(ctx, http.MethodPost, "/categories/", owner, map[string]string{
			"budget": d.Hot, "name": fmt.Sprintf("Category %d", i)}, &c); err != nil {
			return err
		}
		d.Categories[i] = c.ID
		r.prog.add(1)
		return nil
	})
}

// prepareFlowsHTTP creates the hot budget's cash flows through the API, as its creator and
// editors in turn.
func (r *runner) prepareFlowsHTTP(ctx context.Context) error {
	d, n := r.data, r.cfg.CashFlows
	var mu sync.Mutex
	r.prog.begin("prepare: cash flows over HTTP", n, 0)
	defer r.prog.end()
	return parallel(ctx, n, r.cfg.Connections, func(ctx context.Context, i int) error {
		f := flowAt(i, d.Categories)
		body := map[string]any{"budget": d.Hot, "name": f.name, "amount": f.amount.String(), "type": f.typ}
		if f.category != "" {
			body["category"] = f.category
		}
		if err := r.c.call(ctx, http.MethodPost, "/cash-flows/", d.Users[i%len(d.Users)].Access, body, nil); err != nil {
			return err
		}
		mu.Lock()
		d.Flows.add(f.totals())
		mu.Unlock()
		r.prog.add(1)
		return nil
	})
}

// verifyHot checks that the API answers the hot budget's count and totals as prepared: after a
// direct load this proves the SQL respected whatever the server keeps besides the rows.
func (r *runner) verifyHot(ctx context.Context) error {
	d := r.data
	tok := d.Users[0].Access
	var detail struct {
		TotalBalance struct {
			Incomes  money.Cents `json:"incomes"`
			Expenses money.Cents `json:"expenses"`
		} `json:"total_balance"`
	}
	if err := r.c.call(ctx, http.MethodGet, "/budgets/"+d.Hot+"/", tok, nil, &detail); err != nil {
		return err
	}
	var page struct {
		Count int `json:"count"`
	}
	if err := r.c.call(ctx, http.MethodGet, "/cash-flows/?budget="+url.QueryEscape(d.Hot), tok, nil, &page); err != nil {
		return err
	}
	got := Totals{Count: page.Count, Incomes: detail.TotalBalance.Incomes, Expenses: detail.TotalBalance.Expenses}
	if got != d.Flows {
		return fmt.Errorf("bench: the API answers %d cash flows, incomes %s, expenses %s for the hot budget; "+
			"%d, %s, %s were loaded", got.Count, got.Incomes, got.Expenses, d.Flows.Count, d.Flows.Incomes, d.Flows.Expenses)
	}
	return nil
}
