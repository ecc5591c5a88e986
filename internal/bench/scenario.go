package bench

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// needs says what a scenario needs prepared before it runs.
type needs uint8

const (
	needUsers    needs = 1 << iota // registered, signed-in users
	needBudgets                    // budgets, the shared hot budget, its categories and cash flows
	needBusiness                   // a business owner, the business, its accounts and transactions
	needPayables                   // a supplier and a payable per connection in that business
)

// Scenario is one named load: every worker sends the scenario's request in a loop, and a request
// succeeds when it gets the Want status.
//
// A scenario belongs to a family; Probe names a route it needs, so a run against a server that
// lacks the route leaves it out (or refuses it when it was asked for by name). A family's data
// is prepared once per run, for all its scenarios, when one of them is selected (needs). A new
// scenario is one more entry in scenarios (or businessScenarios): its request, and optionally a
// done hook that counts what the server accepted and a check that proves nothing was lost.
type Scenario struct {
	Name   string
	Family string // "system", "identity", "budgets", "business"
	About  string
	Probe  string // a GET route that must exist; "" when always available
	Want   int    // the status of a successful request
	needs  needs
	// request builds worker w's next request.
	request func(ctx context.Context, e *env, w int) (*http.Request, error)
	// done, when set, is told the status of every answer worker w got, warm-up included.
	done func(e *env, w, status int)
	// check, when set, runs after the scenario: a description of what held, or an error
	// (e.g. a lost update) that fails the run.
	check func(ctx context.Context, e *env) (string, error)
}

// env is what scenarios build their requests from.
type env struct {
	c    *client // the server measured
	home *client // the server the data was prepared through (the measured one unless --target): checks read back from it
	data *Data
	// bodies are prebuilt per worker (JSON), so the load generator spends its time sending.
	signIn   [][]byte
	create   [][]byte
	credit   []byte    // a credit into the business's ledger
	transfer [2][]byte // 1.00 from A to B, and from B to A
	settle   []byte    // 1.00 of a payable from the ledger
}

// scenarios lists every scenario, in the order a full run runs them: reads before the writes
// that change what they read, family by family, and sign-in last: its password hashes take
// memory the server keeps for a while, which would show in the RSS of the scenarios after it.
var scenarios = slices.Concat([]*Scenario{healthzScenario}, budgetsScenarios, businessScenarios, []*Scenario{signInScenario})

var healthzScenario = &Scenario{
	Name: "healthz", Family: "system", Want: http.StatusOK,
	About: "GET /healthz: the ceiling of the HTTP stack (no token, no database)",
	request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
		return e.c.newRequest(ctx, http.MethodGet, "/healthz", "", nil)
	},
}

var signInScenario = &Scenario{
	Name: "signin", Family: "identity", Want: http.StatusOK, needs: needUsers,
	About: "POST /api/token/: sign-in, bound by the password hash (Argon2id) by design",
	request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
		return e.c.newRequest(ctx, http.MethodPost, "/api/token/", "", e.signIn[w%len(e.signIn)])
	},
}

var budgetsScenarios = []*Scenario{
	{
		Name: "budgets-list", Family: "budgets", Probe: "/budgets/", Want: http.StatusOK, needs: needUsers | needBudgets,
		About: "GET /budgets/: each worker's user lists the budgets it owns or shares",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodGet, "/budgets/", e.user(w).Access, nil)
		},
	},
	{
		Name: "budget-detail", Family: "budgets", Probe: "/budgets/", Want: http.StatusOK, needs: needUsers | needBudgets,
		About: "GET /budgets/{hot}/: detail of the hot budget with creator, shares and totals",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodGet, "/budgets/"+e.data.Hot+"/", e.user(w).Access, nil)
		},
	},
	{
		Name: "cash-flows-page", Family: "budgets", Probe: "/cash-flows/", Want: http.StatusOK, needs: needUsers | needBudgets,
		About: "GET /cash-flows/?budget={hot}: first page (50) of the hot budget's cash flows, with its count",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodGet, "/cash-flows/?budget="+url.QueryEscape(e.data.Hot), e.user(w).Access, nil)
		},
	},
	{
		Name: "create-cash-flow", Family: "budgets", Probe: "/cash-flows/", Want: http.StatusCreated, needs: needUsers | needBudgets,
		About: "POST /cash-flows/: every worker adds cash flows to the one hot budget (creator and editors)",
		request: func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.c.newRequest(ctx, http.MethodPost, "/cash-flows/", e.user(w).Access, e.create[w%len(e.create)])
		},
	},
}

// user is the user worker w speaks as.
func (e *env) user(w int) *User { return &e.data.Users[w%len(e.data.Users)] }

// buildBodies prebuilds the request bodies of the prepared data set.
func (e *env) buildBodies() error {
	for i := range e.data.Users {
		u := &e.data.Users[i]
		b, err := json.Marshal(map[string]string{"username": u.Username, "password": Password})
		if err != nil {
			return err
		}
		e.signIn = append(e.signIn, b)
		if e.data.Hot == "" {
			continue
		}
		b, err = json.Marshal(map[string]any{"budget": e.data.Hot, "name": "Bench " + strconv.Itoa(i),
			"amount": "1.00", "type": 2, "description": "created by bursar bench"})
		if err != nil {
			return err
		}
		e.create = append(e.create, b)
	}
	if d := e.data.Business; d != nil {
		var err error
		if e.credit, err = json.Marshal(map[string]string{"type": "credit", "amount": "1.00",
			"description": "Bench sale", "account": d.Ledger}); err != nil {
			return err
		}
		if e.settle, err = json.Marshal(map[string]string{"amount": transferAmount.String(), "account": d.Ledger}); err != nil {
			return err
		}
		for i, from := range []string{d.HotA, d.HotB} {
			to := []string{d.HotB, d.HotA}[i]
			if e.transfer[i], err = json.Marshal(map[string]string{"type": "transfer", "amount": transferAmount.String(),
				"description": "Bench transfer", "account": from, "send_to": to}); err != nil {
				return err
			}
		}
	}
	return nil
}

func scenarioByName(name string) *Scenario {
	for _, s := range scenarios {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func scenarioNames() []string {
	out := make([]string, len(scenarios))
	for i, s := range scenarios {
		out[i] = s.Name
	}
	return out
}
