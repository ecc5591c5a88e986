package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/money"
)

func TestLastWeek(t *testing.T) {
	now := time.Date(2026, 3, 1, 1, 30, 0, 0, time.FixedZone("BRT", -3*3600)) // 04:30 UTC
	if got, want := lastWeek(now), "end_date=2026-03-02&start_date=2026-02-22"; got != want {
		t.Fatalf("lastWeek = %q, want %q", got, want)
	}
}

// TestCheckTransfers: the balances the server answers must match the transfers it accepted.
func TestCheckTransfers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		a2b, b2a   int64
		balA, balB money.Cents
		wantErr    bool
	}{
		{"balanced", 7, 3, 1000 - 4*transferAmount, 1000 + 4*transferAmount, false},
		{"nothing moved", 0, 0, 1000, 1000, false},
		{"a lost update", 7, 3, 1000 - 3*transferAmount, 1000 + 4*transferAmount, true},
		{"money made", 1, 0, 1000, 1000 + transferAmount, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mux := http.NewServeMux()
			for id, bal := range map[string]money.Cents{"A": tc.balA, "B": tc.balB} {
				mux.HandleFunc("GET /finance/accounts/"+id, func(w http.ResponseWriter, r *http.Request) {
					fmt.Fprintf(w, `{"account": {"id": %q, "balance": "%s"}}`, id, bal)
				})
			}
			srv := httptest.NewServer(mux)
			defer srv.Close()
			b := &Business{HotA: "A", HotB: "B", Opening: 1000}
			b.moved[0].Store(tc.a2b)
			b.moved[1].Store(tc.b2a)
			c := newClient(srv.URL, 1, time.Second)
			e := &env{c: c, home: c, data: &Data{Business: b}}
			detail, err := checkTransfers(context.Background(), e)
			if (err != nil) != tc.wantErr {
				t.Fatalf("check = %q, %v; want error %v", detail, err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "lost update") {
				t.Fatalf("error %v must say lost update", err)
			}
		})
	}
}

func TestFailedChecksFailTheRun(t *testing.T) {
	rep := &Report{Scenarios: []Result{{Name: "transfer", Check: &Check{OK: true, Detail: "fine"}}}}
	if err := rep.failedChecks(); err != nil {
		t.Fatal(err)
	}
	rep.Scenarios = append(rep.Scenarios, Result{Name: "x", Check: &Check{Detail: "lost update: A 1.00"}})
	if err := rep.failedChecks(); err == nil || !strings.Contains(err.Error(), "x: lost update") {
		t.Fatalf("failedChecks = %v", err)
	}
}
