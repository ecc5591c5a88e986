package bench_test

import (
	"context"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/bench"
	"github.com/bursar/bursar/internal/httpapi"
)

// startCeiling serves bench-ceiling over the database of s, signed with s's secret.
func startCeiling(t *testing.T, s *server) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- bench.ServeCeiling(ctx, bench.CeilingConfig{Addr: "127.0.0.1:0", DatabaseURL: s.dsn,
			Secret: strings.Repeat("b", 32)}, func(a string) { addr <- a })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ceiling server: %v", err)
		}
	})
	select {
	case a := <-addr:
		return "http://" + a
	case err := <-done:
		t.Fatalf("ceiling server: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("ceiling server did not start")
	}
	return ""
}

// TestCeilingServesWhatBursarServes: bench --target measures the ceiling server on the data the
// bench prepared through Bursar, without an error, and its transfers lose no update; its pages
// are Bursar's first pages (same rows, same order, same count), so the two figures measure the
// same work; a bad token is refused.
func TestCeilingServesWhatBursarServes(t *testing.T) {
	s := startServer(t, httpapi.RateLimits{})
	ceil := startCeiling(t, s)
	cfg := parse(t, "--url", s.url, "--target", ceil, "--duration", "200ms", "--warmup", "0", "--connections", "2",
		"--users", "2", "--budgets", "1", "--cash-flows", "60", "--transactions", "55",
		"--scenarios", "healthz,budgets-list,budget-detail,cash-flows-page,transactions-list,create-transaction,transfer")
	rep, err := bench.Execute(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.URL != ceil {
		t.Errorf("report URL %s, want the target %s", rep.URL, ceil)
	}
	for _, r := range rep.Scenarios {
		if r.Requests == 0 || r.Errors != 0 {
			t.Errorf("%s on the ceiling: %d requests, %d errors", r.Name, r.Requests, r.Errors)
		}
		// the transfers' check reads the balances back through Bursar: the ceiling's writes
		// lost nothing either
		if r.Name == "transfer" && (r.Check == nil || !r.Check.OK) {
			t.Errorf("transfer check on the ceiling: %+v", r.Check)
		}
	}

	type page struct {
		Count   int `json:"count"`
		Results []struct {
			ID          string `json:"id"`
			Transaction struct {
				ID string `json:"id"`
			} `json:"transaction"`
		} `json:"results"`
	}
	ids := func(p page) []string {
		var out []string
		for _, r := range p.Results {
			out = append(out, r.ID+r.Transaction.ID) // Bursar wraps a transaction in {"transaction": …}
		}
		return out
	}
	user := signIn(t, s.url, "bench-"+rep.Data.RunID+"-0", bench.Password)
	owner := signIn(t, s.url, "bench-"+rep.Data.RunID+"-owner", bench.Password)
	for _, c := range []struct{ path, token string }{
		{"/budgets/", user},
		{"/cash-flows/?budget=" + rep.Data.HotBudget, user},
		{"/finance/transactions", owner},
	} {
		var want, got page
		get(t, s.url+c.path, c.token, &want)
		get(t, ceil+c.path, c.token, &got)
		if len(want.Results) == 0 || got.Count != want.Count || !slices.Equal(ids(got), ids(want)) {
			t.Errorf("%s: ceiling count %d, ids %v; Bursar count %d, ids %v", c.path, got.Count, ids(got), want.Count, ids(want))
		}
	}
	// A budget's detail is Bursar's, key for key.
	var want, got map[string]any
	get(t, s.url+"/budgets/"+rep.Data.HotBudget+"/", user, &want)
	get(t, ceil+"/budgets/"+rep.Data.HotBudget+"/", user, &got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("budget detail: ceiling %v\nBursar %v", got, want)
	}
	req, _ := http.NewRequest(http.MethodGet, ceil+"/cash-flows/?budget="+rep.Data.HotBudget, nil)
	req.Header.Set("Authorization", "Bearer "+user[:len(user)-2]+"xx")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a forged token: %d, want 401", res.StatusCode)
	}
}

// TestCeilingNeedsASecret: without BURSAR_SECRET the ceiling reads the one Bursar keeps in the
// database, and says so when there is none.
func TestCeilingNeedsASecret(t *testing.T) {
	s := startServer(t, httpapi.RateLimits{}) // its secret is configured, none is stored
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	err := bench.ServeCeiling(context.Background(), bench.CeilingConfig{Addr: addr, DatabaseURL: s.dsn}, nil)
	if err == nil || !strings.Contains(err.Error(), "no signing secret") {
		t.Fatalf("error %v, want no signing secret", err)
	}
}
