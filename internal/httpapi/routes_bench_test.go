package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/bench"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// The hot Budgets routes through the whole handler (middleware, token check, service, SQL, JSON),
// without the network, 8 goroutines per CPU, on SQLite and, when BURSAR_TEST_POSTGRES_URL is
// set, on PostgreSQL. Their CPU profile is where a request's time goes:
//
//	go test -run '^$' -bench Route -cpuprofile cpu.out ./internal/httpapi/
//	go tool pprof -top -cum httpapi.test cpu.out

type routeBench struct {
	s     *Server
	token string
	hot   string
	// the Business family: the owner's token, a ledger with 1,000 transactions, two hot accounts
	bizToken, ledger, accA, accB string
}

func eachRouteBackend(b *testing.B, fn func(b *testing.B, rb *routeBench)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, newRouteBench(b, sqlstoretest.SQLite(b))) })
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv(sqlstoretest.EnvPostgres)
		if base == "" {
			b.Skip(sqlstoretest.EnvPostgres + " not set")
		}
		fn(b, newRouteBench(b, sqlstoretest.Postgres(b, base)))
	})
}

// newRouteBench is a server over db with one user, 5 budgets and 1,000 cash flows in the newest,
// and a business owner whose ledger account holds 1,000 transactions.
func newRouteBench(b *testing.B, db *sqlstore.DB) *routeBench {
	b.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("k"), 32), AccessTTL: time.Hour,
		RefreshTTL: time.Hour, Rotation: true, Argon: testArgon}, clock.Real{}, log)
	if err != nil {
		b.Fatal(err)
	}
	rb := &routeBench{s: New(Config{MaxBody: 1 << 20, Location: time.UTC, RequestTimeout: 10 * time.Second},
		Deps{DB: db, Auth: a, Budgets: budgets.NewService(db, clock.Real{}), Log: log, Registry: prometheus.NewRegistry(),
			Business: BusinessServices{Business: business.NewService(db, a, clock.Real{}, time.UTC),
				Finance: finance.NewService(db, clock.Real{})}})}
	var out struct{ ID, Access string }
	rb.must(b, "POST", "/register/", map[string]string{"username": "ana", "password": testPassword}, http.StatusCreated, nil)
	rb.must(b, "POST", "/api/token/", map[string]string{"username": "ana", "password": testPassword}, http.StatusOK, &out)
	rb.token = out.Access
	for i := range 5 {
		rb.must(b, "POST", "/budgets/", map[string]string{"name": fmt.Sprintf("Budget %d", i)}, http.StatusCreated, &out)
	}
	rb.hot = out.ID
	if _, err := bench.LoadCashFlows(context.Background(), db, bench.FlowLoad{BudgetID: rb.hot, N: 1000,
		End: time.Now().Add(-time.Minute)}, nil); err != nil {
		b.Fatal(err)
	}
	rb.prepareBusiness(b)
	return rb
}

func (rb *routeBench) prepareBusiness(b *testing.B) {
	b.Helper()
	budgetsToken := rb.token
	defer func() { rb.token = budgetsToken }()
	rb.token = ""
	rb.must(b, "POST", "/accounts", map[string]string{"name": "Owner", "email": "owner@example.com", "username": "owner",
		"password": testPassword}, http.StatusCreated, nil)
	var pair struct{ Access string }
	rb.must(b, "POST", "/token", map[string]string{"username": "owner", "password": testPassword}, http.StatusOK, &pair)
	rb.token, rb.bizToken = pair.Access, pair.Access
	rb.must(b, "POST", "/business", map[string]string{"legal_name": "Bench", "trade_name": "Bench", "cnpj": "12345678000190"},
		http.StatusCreated, nil)
	for _, acc := range []struct {
		name string
		id   *string
	}{{"Ledger", &rb.ledger}, {"A", &rb.accA}, {"B", &rb.accB}} {
		var out struct{ Account struct{ ID string } }
		rb.must(b, "POST", "/finance/accounts", map[string]string{"name": acc.name}, http.StatusCreated, &out)
		*acc.id = out.Account.ID
	}
	for i := range 1000 {
		rb.must(b, "POST", "/finance/transactions", map[string]string{"type": "credit", "amount": "12.34",
			"description": fmt.Sprintf("Invoice %d coffee beans", i), "account": rb.ledger}, http.StatusCreated, nil)
	}
}

func (rb *routeBench) request(method, path string, body any) *http.Request {
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	r := httptest.NewRequest(method, path, rd)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if rb.token != "" {
		r.Header.Set("Authorization", "Bearer "+rb.token)
	}
	return r
}

func (rb *routeBench) must(b *testing.B, method, path string, body any, status int, out any) {
	b.Helper()
	w := httptest.NewRecorder()
	rb.s.ServeHTTP(w, rb.request(method, path, body))
	if w.Code != status {
		b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			b.Fatal(err)
		}
	}
}

// run serves the request from mk on 8 goroutines per CPU, as 16 connections do on 2 CPUs.
func (rb *routeBench) run(b *testing.B, status int, mk func() *http.Request) {
	b.SetParallelism(8)
	b.ReportAllocs()
	b.ResetTimer() // the setup (a ledger of 1,000 transactions) is not the route
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			rb.s.ServeHTTP(w, mk())
			if w.Code != status {
				b.Errorf("%d %s", w.Code, w.Body)
				return
			}
		}
	})
}

func BenchmarkRouteHealthz(b *testing.B) {
	rb := &routeBench{s: New(Config{MaxBody: 1 << 20, Location: time.UTC, RequestTimeout: 10 * time.Second},
		Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry()})}
	rb.run(b, http.StatusOK, func() *http.Request { return rb.request("GET", "/healthz", nil) })
}

func BenchmarkRouteBudgetsList(b *testing.B) {
	eachRouteBackend(b, func(b *testing.B, rb *routeBench) {
		rb.run(b, http.StatusOK, func() *http.Request { return rb.request("GET", "/budgets/", nil) })
	})
}

func BenchmarkRouteBudgetDetail(b *testing.B) {
	eachRouteBackend(b, func(b *testing.B, rb *routeBench) {
		rb.run(b, http.StatusOK, func() *http.Request { return rb.request("GET", "/budgets/"+rb.hot+"/", nil) })
	})
}

func BenchmarkRouteCashFlowsPage(b *testing.B) {
	eachRouteBackend(b, func(b *testing.B, rb *routeBench) {
		rb.run(b, http.StatusOK, func() *http.Request { return rb.request("GET", "/cash-flows/?budget="+rb.hot, nil) })
	})
}

func BenchmarkRouteTransactionsList(b *testing.B) {
	eachRouteBackend(b, func(b *testing.B, rb *routeBench) {
		rb.token = rb.bizToken
		rb.run(b, http.StatusOK, func() *http.Request { return rb.request("GET", "/finance/transactions", nil) })
	})
}

func BenchmarkRouteCreateTransaction(b *testing.B) {
	eachRouteBackend(b, func(b *testing.B, rb *routeBench) {
		rb.token = rb.bizToken
		body := map[string]string{"type": "credit", "amount": "1.00", "description": "Bench sale", "account": rb.ledger}
		rb.run(b, http.StatusCreated, func() *http.Request { return rb.request("POST", "/finance/transactions", body) })
	})
}

func BenchmarkRouteTransfer(b *testing.B) {
	eachRouteBackend(b, func(b *testing.B, rb *routeBench) {
		rb.token = rb.bizToken
		body := map[string]string{"type": "transfer", "amount": "1.00", "description": "Bench", "account": rb.accA,
			"send_to": rb.accB}
		rb.run(b, http.StatusCreated, func() *http.Request { return rb.request("POST", "/finance/transactions", body) })
	})
}

func BenchmarkRouteCreateCashFlow(b *testing.B) {
	eachRouteBackend(b, func(b *testing.B, rb *routeBench) {
		body := map[string]any{"budget": rb.hot, "name": "Bench", "amount": "1.00", "type": 2}
		rb.run(b, http.StatusCreated, func() *http.Request { return rb.request("POST", "/cash-flows/", body) })
	})
}
