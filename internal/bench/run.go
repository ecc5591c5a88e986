package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/bursar/bursar/internal/store/sqlstore"
)

// runner is one bench run.
type runner struct {
	cfg      *Config
	c        *client
	prog     *progress
	data     *Data
	env      *env
	procRoot string
}

// Run executes a bench run and prints its report to stdout (a table, or JSON with --json);
// progress goes to stderr.
func Run(ctx context.Context, cfg *Config, stdout, stderr io.Writer) error {
	if cfg.List {
		return listScenarios(stdout)
	}
	rep, err := Execute(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	if cfg.JSON {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeTable(stdout)
	}
	if err != nil {
		return err
	}
	return rep.failedChecks()
}

// Execute prepares the data set, runs the scenarios and returns the report. status receives the
// progress line and notes (nil: silent).
func Execute(ctx context.Context, cfg *Config, status io.Writer) (*Report, error) {
	r := &runner{cfg: cfg, c: newClient(cfg.URL, cfg.Connections, cfg.Timeout), procRoot: "/proc",
		prog: newProgress(status, 200*time.Millisecond, isTerminal(status)),
		data: &Data{RunID: newRunID()}}
	defer r.c.close()
	defer r.prog.close()
	note := func(format string, args ...any) {
		if status != nil {
			fmt.Fprintf(status, format+"\n", args...)
		}
	}
	if err := r.c.call(ctx, "GET", "/healthz", "", nil, nil); err != nil {
		return nil, fmt.Errorf("bench: the server at %s does not answer: %w", cfg.URL, err)
	}
	selected, skipped, err := r.selectScenarios(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range skipped {
		note("bench: skipping %s: %s", s.Name, s.Reason)
	}
	pid, err := r.serverPID()
	if err != nil {
		return nil, err
	}
	if pid == 0 {
		note("bench: server process not found on this machine; its CPU and RSS are not reported")
	}
	if err := r.prepare(ctx, selected); err != nil {
		return nil, err
	}
	if cfg.Target != "" {
		// Measure another server on the data just prepared (bursar bench-ceiling, or another
		// instance on the same database): its process, not the preparing one's.
		target := newClient(cfg.Target, cfg.Connections, cfg.Timeout)
		defer target.close()
		r.env.c = target
		if err := target.call(ctx, "GET", "/healthz", "", nil, nil); err != nil {
			return nil, fmt.Errorf("bench: the target %s does not answer: %w", cfg.Target, err)
		}
		if pid, err = r.serverPID(); err != nil {
			return nil, err
		}
		note("bench: measuring %s on the data prepared through %s", cfg.Target, cfg.URL)
	}
	rep := r.newReport(skipped)
	rep.ServerPID = pid
	for _, sc := range selected {
		res, err := r.runScenario(ctx, sc, rep.ServerPID)
		if err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, res)
	}
	return rep, nil
}

// Skipped is a scenario left out of a run, and why.
type Skipped struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// selectScenarios returns the scenarios to run: those named, or every one whose routes the
// server has.
func (r *runner) selectScenarios(ctx context.Context) ([]*Scenario, []Skipped, error) {
	named := len(r.cfg.Scenarios) > 0
	var want []*Scenario
	if named {
		for _, n := range r.cfg.Scenarios {
			want = append(want, scenarioByName(n))
		}
	} else {
		want = scenarios
	}
	probed := map[string]bool{}
	var out []*Scenario
	var skipped []Skipped
	for _, sc := range want {
		if sc.Probe != "" {
			ok, seen := probed[sc.Probe]
			if !seen {
				var err error
				if ok, err = r.c.routeExists(ctx, sc.Probe); err != nil {
					return nil, nil, err
				}
				probed[sc.Probe] = ok
			}
			if !ok {
				reason := "the server has no route " + sc.Probe
				if named {
					return nil, nil, fmt.Errorf("bench: scenario %s: %s", sc.Name, reason)
				}
				skipped = append(skipped, Skipped{Name: sc.Name, Reason: reason})
				continue
			}
		}
		out = append(out, sc)
	}
	if len(out) == 0 {
		return nil, nil, errors.New("bench: no scenario to run")
	}
	return out, skipped, nil
}

// prepare creates what the selected scenarios need.
func (r *runner) prepare(ctx context.Context, selected []*Scenario) error {
	var all needs
	for _, sc := range selected {
		all |= sc.needs
	}
	if all&needUsers != 0 {
		if err := r.prepareUsers(ctx); err != nil {
			return err
		}
	}
	if all&needBudgets != 0 {
		if err := r.prepareBudgets(ctx); err != nil {
			return err
		}
		if err := r.prepareFlows(ctx); err != nil {
			return err
		}
		if err := r.verifyHot(ctx); err != nil {
			return err
		}
	}
	if all&needBusiness != 0 {
		if err := r.prepareBusiness(ctx); err != nil {
			return err
		}
	}
	if all&needPayables != 0 {
		if err := r.preparePayables(ctx); err != nil {
			return err
		}
	}
	if r.cfg.Direct != "" {
		if err := r.settleDirect(ctx); err != nil {
			return err
		}
	}
	r.env = &env{c: r.c, home: r.c, data: r.data}
	return r.env.buildBodies()
}

// prepareFlows fills the hot budget: over HTTP, or through SQL with --direct.
func (r *runner) prepareFlows(ctx context.Context) error {
	if r.cfg.Direct == "" {
		return r.prepareFlowsHTTP(ctx)
	}
	return r.direct(ctx, "cash flows", r.cfg.CashFlows, func(db *sqlstore.DB) error {
		t, err := LoadCashFlows(ctx, db, FlowLoad{BudgetID: r.data.Hot, Categories: r.data.Categories,
			N: r.cfg.CashFlows, Batch: r.cfg.Batch, End: time.Now().Add(-time.Minute), Span: 365 * 24 * time.Hour},
			r.prog.add)
		r.data.Flows.add(t)
		return err
	})
}

// direct opens the --direct database and runs load on it under a progress line of n rows of what.
func (r *runner) direct(ctx context.Context, what string, n int, load func(db *sqlstore.DB) error) error {
	db, err := sqlstore.Open(ctx, r.cfg.Direct)
	if err != nil {
		return fmt.Errorf("bench: --direct: %w", err)
	}
	defer db.Close()
	r.prog.begin("prepare: "+what+" through SQL ("+string(db.Engine())+")", n, 0)
	err = load(db)
	r.prog.end()
	return err
}

// settle brings the --direct database, once everything is prepared, to the state a server
// reaches on its own: PostgreSQL's autovacuum would vacuum and analyze the tables (a database
// with autovacuum off, as on CI machines, would otherwise plan every query without statistics),
// SQLite would checkpoint its WAL.
func (r *runner) settleDirect(ctx context.Context) error {
	db, err := sqlstore.Open(ctx, r.cfg.Direct)
	if err != nil {
		return fmt.Errorf("bench: --direct: %w", err)
	}
	defer db.Close()
	return settle(ctx, db)
}

func settle(ctx context.Context, db *sqlstore.DB) error {
	q := `PRAGMA wal_checkpoint(PASSIVE)`
	if db.Engine() == sqlstore.Postgres {
		q = `VACUUM (ANALYZE)`
	}
	if _, err := db.Writer().ExecContext(ctx, q); err != nil {
		return fmt.Errorf("bench: after preparing: %w", err)
	}
	return nil
}

// serverPID is the process to measure: --server-pid, else the local process listening on the
// URL's port, else 0.
func (r *runner) serverPID() (int, error) {
	if pid := r.cfg.ServerPID; pid > 0 {
		if _, err := os.Stat(filepath.Join(r.procRoot, strconv.Itoa(pid), "stat")); err != nil {
			return 0, fmt.Errorf("bench: --server-pid %d: %w", pid, err)
		}
		return pid, nil
	}
	u, err := url.Parse(r.cfg.measured())
	if err != nil || !isLocalHost(u.Hostname()) {
		return 0, nil
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	p, err := net.LookupPort("tcp", port)
	if err != nil {
		return 0, nil
	}
	return findListener(r.procRoot, p), nil
}

// machine describes this computer.
func machine(procRoot string) Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile(filepath.Join(procRoot, "cpuinfo")); err == nil {
		m.CPUModel = cpuModel(string(b))
	}
	if b, err := os.ReadFile(filepath.Join(procRoot, "meminfo")); err == nil {
		m.MemMiB = memTotalMiB(string(b))
	}
	return m
}
