package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/bench"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/httpapi"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/password"
	"github.com/bursar/bursar/internal/ratelimit"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// server is a real Bursar on httptest over a fresh SQLite file, wired like cmd/bursar's serve.
type server struct {
	url string
	dsn string // the SQLite file, for --direct
	db  *sqlstore.DB
}

func startServer(t *testing.T, limits httpapi.RateLimits) *server {
	t.Helper()
	ctx := context.Background()
	dsn := sqlstoretest.SQLiteURL(t)
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("b"), 32), AccessTTL: time.Hour,
		RefreshTTL: time.Hour, Rotation: true, Argon: password.Params{MemoryKiB: 64, Time: 1, Threads: 1}},
		clock.Real{}, log)
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{MaxBody: 1 << 20, Location: time.UTC, RequestTimeout: 10 * time.Second,
		RateLimits: limits}, httpapi.Deps{DB: db, Auth: a, Budgets: budgets.NewService(db, clock.Real{}), Log: log,
		Registry: prometheus.NewRegistry(), Business: httpapi.BusinessServices{
			Business: business.NewService(db, a, clock.Real{}, time.UTC), Finance: finance.NewService(db, clock.Real{})},
		Billing: httpapi.BillingServices{Billing: billing.NewService(db, clock.Real{}), Finance: finance.NewService(db, clock.Real{})}})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &server{url: srv.URL, dsn: dsn, db: db}
}

func parse(t *testing.T, args ...string) *bench.Config {
	t.Helper()
	cfg, err := bench.ParseArgs(args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestRunEveryScenario runs each scenario briefly on 2 connections and checks that every
// request succeeded and the report is complete. It asserts nothing about speed.
func TestRunEveryScenario(t *testing.T) {
	s := startServer(t, httpapi.RateLimits{})
	cfg := parse(t, "--url", s.url, "--duration", "300ms", "--warmup", "50ms", "--connections", "2",
		"--users", "3", "--budgets", "2", "--categories", "2", "--cash-flows", "30", "--transactions", "20", "--label", "test")
	var status strings.Builder
	rep, err := bench.Execute(context.Background(), cfg, &status)
	if err != nil {
		t.Fatalf("%v\nstatus: %s", err, status.String())
	}
	var names []string
	for _, r := range rep.Scenarios {
		names = append(names, r.Name)
		if r.Requests == 0 || r.Errors != 0 || r.RPS <= 0 || r.LatencyMS.Max < r.LatencyMS.P50 {
			t.Errorf("%s: %+v; want requests, no errors, sane latencies", r.Name, r)
		}
	}
	if got, want := strings.Join(names, ","), "healthz,budgets-list,budget-detail,cash-flows-page,create-cash-flow,"+
		"transactions-list,transactions-date,transactions-search,account-detail,create-transaction,transfer,settle-payable,signin"; got != want {
		t.Fatalf("scenarios %s, want %s", got, want)
	}
	if d := rep.Data; d.Users != 3 || d.HotCashFlows != 30 || d.HotCategories != 2 || d.DirectCashFlows || d.Transactions != 20 {
		t.Fatalf("data %+v", d)
	}
	for _, r := range rep.Scenarios[len(rep.Scenarios)-3 : len(rep.Scenarios)-1] {
		if c := r.Check; c == nil || !c.OK || !strings.HasPrefix(c.Detail, "no lost update") {
			t.Fatalf("%s check %+v", r.Name, c)
		}
	}
	if runtime.GOOS == "linux" {
		// the in-process server listens in this very process: found through /proc
		if rep.ServerPID != os.Getpid() || rep.Scenarios[0].Server == nil {
			t.Fatalf("server pid %d (usage %+v), want this process %d", rep.ServerPID, rep.Scenarios[0].Server, os.Getpid())
		}
	}
	if !strings.Contains(status.String(), "prepare: cash flows over HTTP: 30/30") {
		t.Errorf("no progress line for the cash flows in %q", status.String())
	}
}

// TestDirectLoadKeepsTheAPIConsistent loads cash flows through SQL into the SQLite file the
// server runs on, then checks the API's count and totals against the table, before and after
// the create scenario adds rows over HTTP.
func TestDirectLoadKeepsTheAPIConsistent(t *testing.T) {
	s := startServer(t, httpapi.RateLimits{})
	cfg := parse(t, "--url", s.url, "--direct", s.dsn, "--cash-flows", "2345", "--batch", "1000",
		"--duration", "300ms", "--warmup", "0", "--connections", "2", "--users", "2", "--budgets", "1",
		"--categories", "3", "--scenarios", "cash-flows-page,create-cash-flow", "--json")
	var out strings.Builder
	if err := bench.Run(context.Background(), cfg, &out, io.Discard); err != nil {
		t.Fatal(err) // includes the bench's own check of count and totals after the load
	}
	var rep bench.Report
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out.String())
	}
	if !rep.Data.DirectCashFlows || rep.Data.HotCashFlows != 2345 || len(rep.Scenarios) != 2 || rep.Scenarios[1].Requests == 0 {
		t.Fatalf("report %+v", rep)
	}
	hot := rep.Data.HotBudget

	var n int
	var in, ex money.Cents
	if err := s.db.Reader().QueryRow(`SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN type = 1 THEN amount ELSE 0 END), 0), COALESCE(SUM(CASE WHEN type = 2 THEN amount ELSE 0 END), 0)
		FROM cash_flows WHERE budget_id = $1`, hot).Scan(&n, &in, &ex); err != nil {
		t.Fatal(err)
	}
	if created := rep.Scenarios[1]; created.Errors != 0 || n != 2345+created.Requests {
		t.Fatalf("%d rows in the hot budget, want 2345 loaded + %d created (%d failed)", n, created.Requests, created.Errors)
	}
	token := signIn(t, s.url, "bench-"+rep.Data.RunID+"-0", bench.Password)
	var detail struct {
		TotalBalance struct{ Incomes, Expenses, Total money.Cents } `json:"total_balance"`
	}
	get(t, s.url+"/budgets/"+hot+"/", token, &detail)
	var page struct {
		Count   int `json:"count"`
		Results []struct {
			Name string `json:"name"`
		} `json:"results"`
	}
	get(t, s.url+"/cash-flows/?budget="+hot, token, &page)
	if tb := detail.TotalBalance; tb.Incomes != in || tb.Expenses != ex || tb.Total != in-ex || page.Count != n {
		t.Fatalf("API: %+v, count %d; table: incomes %s, expenses %s, %d rows", tb, page.Count, in, ex, n)
	}
	if len(page.Results) != 50 || !strings.HasPrefix(page.Results[0].Name, "Bench ") {
		t.Fatalf("first page must start with the newest (created over HTTP after the load): %+v", page.Results[:1])
	}
}

// TestDirectTransactionsKeepTheAPIConsistent loads transactions through SQL into the ledger of
// the business on the server's SQLite file (the bench checks the API's count and balance after
// the load), then checks them again after the create scenario adds rows over HTTP.
func TestDirectTransactionsKeepTheAPIConsistent(t *testing.T) {
	s := startServer(t, httpapi.RateLimits{})
	cfg := parse(t, "--url", s.url, "--direct", s.dsn, "--transactions", "2345", "--batch", "1000",
		"--duration", "300ms", "--warmup", "0", "--connections", "2",
		"--scenarios", "transactions-list,account-detail,create-transaction", "--json")
	var out strings.Builder
	if err := bench.Run(context.Background(), cfg, &out, io.Discard); err != nil {
		t.Fatal(err) // includes the bench's own check of count and balance after the load
	}
	var rep bench.Report
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out.String())
	}
	created := rep.Scenarios[2]
	if rep.Data.Transactions != 2345 || created.Requests == 0 || created.Errors != 0 {
		t.Fatalf("report %+v", rep)
	}
	token := signIn(t, s.url, "bench-"+rep.Data.RunID+"-owner", bench.Password)
	var page struct {
		Count   int `json:"count"`
		Results []struct {
			Transaction struct {
				Description string `json:"description"`
			} `json:"transaction"`
		} `json:"results"`
	}
	get(t, s.url+"/finance/transactions", token, &page)
	var rows int
	if err := s.db.Reader().QueryRow(`SELECT COUNT(*) FROM finance_transactions`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if want := 2345 + 2 + created.Requests; page.Count != want || rows != want {
		t.Fatalf("API count %d, %d rows; want 2345 loaded + 2 openings + %d created", page.Count, rows, created.Requests)
	}
	if len(page.Results) != 50 || page.Results[0].Transaction.Description != "Bench sale" {
		t.Fatalf("first page must start with the newest (created over HTTP after the load): %+v", page.Results[:1])
	}
}

func TestRateLimitedServerStopsPreparation(t *testing.T) {
	s := startServer(t, httpapi.RateLimits{Limiter: ratelimit.NewMemory(nil), AuthMinute: 1})
	cfg := parse(t, "--url", s.url, "--users", "3", "--connections", "1", "--scenarios", "signin")
	_, err := bench.Execute(context.Background(), cfg, nil)
	if !errors.Is(err, bench.ErrRateLimited) || !strings.Contains(err.Error(), "BURSAR_RATE_LIMIT_AUTH_MINUTE=0") {
		t.Fatalf("error %v; want a 429 naming the settings that turn limits off", err)
	}
}

func TestUnreachableServer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := bench.Execute(context.Background(), parse(t, "--url", url), nil)
	if err == nil || !strings.Contains(err.Error(), "does not answer") {
		t.Fatalf("error %v", err)
	}
}

func TestMissingRoutes(t *testing.T) {
	// a server with /healthz only: the Budgets scenarios are skipped, or refused when named
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	rep, err := bench.Execute(context.Background(), parse(t, "--url", srv.URL, "--duration", "50ms", "--warmup", "0",
		"--scenarios", "healthz"), nil)
	if err != nil || len(rep.Scenarios) != 1 {
		t.Fatalf("%v, %+v", err, rep)
	}
	_, err = bench.Execute(context.Background(), parse(t, "--url", srv.URL, "--scenarios", "budget-detail"), nil)
	if err == nil || !strings.Contains(err.Error(), "no route /budgets/") {
		t.Fatalf("error %v", err)
	}
}

func signIn(t *testing.T, base, user, pw string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	res, err := http.Post(base+"/api/token/", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var pair struct{ Access string }
	if err := json.NewDecoder(res.Body).Decode(&pair); err != nil || pair.Access == "" {
		t.Fatalf("sign-in: %d, %v", res.StatusCode, err)
	}
	return pair.Access
}

func get(t *testing.T, url, token string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}
