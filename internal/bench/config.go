// Package bench is Bursar's load generator (`bursar bench`). It prepares its own data set against
// a running server over HTTP (users with unique names per run, budgets, categories, cash flows,
// a business and its transactions), optionally loads millions of cash flows and transactions
// straight into the server's database, then runs named scenarios for a fixed time with N
// concurrent keep-alive connections. Per scenario it reports
// requests a second, latency percentiles, errors by status, and the server's CPU and memory when
// the server runs on this machine.
package bench

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// Config is what one bench run does.
type Config struct {
	URL         string        // base URL of the server under test
	Target      string        // base URL the scenarios are measured on, when not URL (bursar bench-ceiling)
	Duration    time.Duration // measured time of each scenario
	Warmup      time.Duration // unmeasured load before each scenario
	Connections int           // concurrent connections (one worker each)
	Timeout     time.Duration // per request
	Scenarios   []string      // nil: every scenario the server supports

	Users        int    // users registered for this run
	Budgets      int    // budgets each user creates
	Categories   int    // categories of the hot budget
	CashFlows    int    // cash flows of the hot budget
	Transactions int    // transactions of the business's ledger account
	Direct       string // database URL: load the cash flows and transactions through SQL instead of HTTP
	Batch        int    // rows per transaction of a direct load

	ServerPID int    // process to measure; 0: found from the listening port when local
	DBProcess string // command name of the database server's processes to measure ("" none)
	JSON      bool   // print the report as JSON instead of a table
	Label     string // free text carried into the report (e.g. "sqlite")
	List      bool   // print the scenarios and exit
}

// EnvURL names the variable that sets the default of --url.
const EnvURL = "BURSAR_BENCH_URL"

// ParseArgs reads the bench flags (args without "bench"). Usage goes to usage; -h gives
// flag.ErrHelp.
func ParseArgs(args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	c := &Config{}
	fs := flag.NewFlagSet("bursar bench", flag.ContinueOnError)
	fs.SetOutput(usage)
	defURL := getenv(EnvURL)
	if defURL == "" {
		defURL = "http://127.0.0.1:8080"
	}
	var scenarios string
	fs.StringVar(&c.URL, "url", defURL, "base URL of the Bursar server under test (env "+EnvURL+")")
	fs.StringVar(&c.Target, "target", "", "measure the scenarios on this base URL instead, after preparing through --url: a `bursar bench-ceiling` on the same database")
	fs.DurationVar(&c.Duration, "duration", 10*time.Second, "measured time of each scenario")
	fs.DurationVar(&c.Warmup, "warmup", time.Second, "unmeasured load before each scenario")
	fs.IntVar(&c.Connections, "connections", 16, "concurrent keep-alive connections")
	fs.DurationVar(&c.Timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.StringVar(&scenarios, "scenarios", "", "comma-separated scenarios to run (default: every one the server supports; see --list)")
	fs.IntVar(&c.Users, "users", 16, "users to register for this run")
	fs.IntVar(&c.Budgets, "budgets", 5, "budgets per user")
	fs.IntVar(&c.Categories, "categories", 5, "categories of the hot budget")
	fs.IntVar(&c.CashFlows, "cash-flows", 1000, "cash flows of the hot budget (the one the read scenarios read)")
	fs.IntVar(&c.Transactions, "transactions", 1000, "transactions of the business's ledger account (Business scenarios)")
	fs.StringVar(&c.Direct, "direct", "", "DATABASE_URL of the server's database: insert the cash flows and the ledger's transactions through SQL in batched transactions (fast path for millions of rows), then vacuum and analyze (PostgreSQL) or checkpoint (SQLite) as the database's own maintenance would")
	fs.IntVar(&c.Batch, "batch", 20000, "rows per transaction of a --direct load")
	fs.IntVar(&c.ServerPID, "server-pid", 0, "server process to measure, the --target's when set (default: found from the listening port when the server is local)")
	fs.StringVar(&c.DBProcess, "db-process", "postgres", "command name of the local database server's processes whose CPU to report (\"\": none)")
	fs.BoolVar(&c.JSON, "json", false, "print the report as JSON")
	fs.StringVar(&c.Label, "label", "", "label carried into the report, e.g. the database engine")
	fs.BoolVar(&c.List, "list", false, "list the scenarios and exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bursar bench [flags]\n\nLoad-tests a running Bursar server; start it with rate limits off:\n"+
			"  "+rateLimitsOff+"\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	if scenarios != "" {
		for _, s := range strings.Split(scenarios, ",") {
			if s = strings.TrimSpace(s); s != "" {
				c.Scenarios = append(c.Scenarios, s)
			}
		}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// validate checks the settings ParseArgs cannot check one by one.
func (c *Config) validate() error {
	switch {
	case !httpURL(c.URL):
		return fmt.Errorf("bench: --url %q: want http://host:port", c.URL)
	case c.Target != "" && !httpURL(c.Target):
		return fmt.Errorf("bench: --target %q: want http://host:port", c.Target)
	case c.Duration <= 0:
		return errors.New("bench: --duration must be positive")
	case c.Warmup < 0:
		return errors.New("bench: --warmup must not be negative")
	case c.Connections < 1:
		return errors.New("bench: --connections must be at least 1")
	case c.Timeout <= 0:
		return errors.New("bench: --timeout must be positive")
	case c.Users < 1:
		return errors.New("bench: --users must be at least 1")
	case c.Budgets < 1:
		return errors.New("bench: --budgets must be at least 1")
	case c.Categories < 0 || c.CashFlows < 0 || c.Transactions < 0:
		return errors.New("bench: --categories, --cash-flows and --transactions must not be negative")
	case c.Batch < 1:
		return errors.New("bench: --batch must be at least 1")
	case c.ServerPID < 0:
		return errors.New("bench: --server-pid must not be negative")
	}
	c.URL, c.Target = strings.TrimSuffix(c.URL, "/"), strings.TrimSuffix(c.Target, "/")
	seen := map[string]bool{}
	for _, name := range c.Scenarios {
		if scenarioByName(name) == nil {
			return fmt.Errorf("bench: unknown scenario %q (want %s)", name, strings.Join(scenarioNames(), ", "))
		}
		if seen[name] {
			return fmt.Errorf("bench: scenario %q named twice", name)
		}
		seen[name] = true
	}
	return nil
}

// rateLimitsOff is how to start the server under test.
const rateLimitsOff = "BURSAR_RATE_LIMIT_MINUTE=0 BURSAR_RATE_LIMIT_DAY=0 BURSAR_RATE_LIMIT_AUTH_MINUTE=0 BURSAR_RATE_LIMIT_AUTH_HOUR=0"

// httpURL reports whether s is an absolute http(s) URL with a host.
func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// measured is the base URL the scenarios are measured on: Target when set, else URL.
func (c *Config) measured() string {
	if c.Target != "" {
		return c.Target
	}
	return c.URL
}
