package bench

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func noEnv(string) string { return "" }

func TestParseArgsDefaults(t *testing.T) {
	c, err := ParseArgs(nil, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{URL: "http://127.0.0.1:8080", Duration: 10 * time.Second, Warmup: time.Second, Connections: 16,
		Timeout: 30 * time.Second, Users: 16, Budgets: 5, Categories: 5, CashFlows: 1000, Transactions: 1000, Batch: 20000,
		DBProcess: "postgres"}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("defaults:\n got %+v\nwant %+v", c, want)
	}
}

func TestParseArgsEveryFlag(t *testing.T) {
	args := []string{"--url", "https://bursar.example.com:8443/", "--duration", "300ms", "--warmup", "0",
		"--connections", "2", "--timeout", "5s", "--scenarios", " healthz, budgets-list ,", "--users", "3",
		"--budgets", "4", "--categories", "0", "--cash-flows", "1000000", "--transactions", "7", "--direct", "postgres://db/x",
		"--batch", "5000", "--server-pid", "42", "--db-process", "", "--json", "--label", "postgres", "--list",
		"--target", "http://127.0.0.1:8081/"}
	c, err := ParseArgs(args, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{URL: "https://bursar.example.com:8443", Target: "http://127.0.0.1:8081", Duration: 300 * time.Millisecond, Connections: 2,
		Timeout: 5 * time.Second, Scenarios: []string{"healthz", "budgets-list"}, Users: 3, Budgets: 4,
		CashFlows: 1000000, Transactions: 7, Direct: "postgres://db/x", Batch: 5000, ServerPID: 42, JSON: true, Label: "postgres",
		List: true}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("flags:\n got %+v\nwant %+v", c, want)
	}
}

func TestParseArgsURLFromEnvironment(t *testing.T) {
	env := func(k string) string {
		if k == EnvURL {
			return "http://10.0.0.7:9000"
		}
		return ""
	}
	c, err := ParseArgs(nil, env, io.Discard)
	if err != nil || c.URL != "http://10.0.0.7:9000" {
		t.Fatalf("got %v, %v; want the URL of %s", c, err, EnvURL)
	}
	c, err = ParseArgs([]string{"-url", "http://[::1]:1"}, env, io.Discard)
	if err != nil || c.URL != "http://[::1]:1" {
		t.Fatalf("a flag must win over the environment: got %v, %v", c, err)
	}
}

func TestParseArgsRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no scheme", []string{"--url", "localhost:8080"}, "--url"},
		{"other scheme", []string{"--url", "ftp://x"}, "--url"},
		{"no host", []string{"--url", "http://"}, "--url"},
		{"target without scheme", []string{"--target", "localhost:8081"}, "--target"},
		{"zero duration", []string{"--duration", "0s"}, "--duration"},
		{"negative warm-up", []string{"--warmup", "-1s"}, "--warmup"},
		{"no connections", []string{"--connections", "0"}, "--connections"},
		{"zero timeout", []string{"--timeout", "0s"}, "--timeout"},
		{"no users", []string{"--users", "0"}, "--users"},
		{"no budgets", []string{"--budgets", "0"}, "--budgets"},
		{"negative flows", []string{"--cash-flows", "-1"}, "--cash-flows"},
		{"negative categories", []string{"--categories", "-1"}, "--categories"},
		{"negative transactions", []string{"--transactions", "-1"}, "--transactions"},
		{"zero batch", []string{"--batch", "0"}, "--batch"},
		{"negative pid", []string{"--server-pid", "-3"}, "--server-pid"},
		{"unknown scenario", []string{"--scenarios", "healthz,nope"}, `unknown scenario "nope"`},
		{"scenario twice", []string{"--scenarios", "healthz,healthz"}, "twice"},
		{"positional", []string{"healthz"}, "unexpected argument"},
		{"bad number", []string{"--connections", "many"}, "invalid value"},
		{"unknown flag", []string{"--turbo"}, "not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var usage strings.Builder
			_, err := ParseArgs(tc.args, noEnv, &usage)
			if err == nil || !strings.Contains(err.Error()+usage.String(), tc.want) {
				t.Fatalf("ParseArgs(%q) = %v; want an error about %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestParseArgsHelp(t *testing.T) {
	var usage strings.Builder
	_, err := ParseArgs([]string{"-h"}, noEnv, &usage)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"BURSAR_RATE_LIMIT_MINUTE=0", "-scenarios", "-direct"} {
		if !strings.Contains(usage.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, usage.String())
		}
	}
}

func TestListScenarios(t *testing.T) {
	var out strings.Builder
	if err := Run(t.Context(), &Config{List: true}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"healthz", "signin", "budgets-list", "budget-detail", "cash-flows-page", "create-cash-flow",
		"transactions-list", "transactions-date", "transactions-search", "create-transaction", "transfer", "settle-payable"} {
		if !strings.Contains(out.String(), name+" ") {
			t.Errorf("--list lacks %s:\n%s", name, out.String())
		}
	}
}
