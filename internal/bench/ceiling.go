package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// The ceiling server (`bursar bench-ceiling`) answers the routes of the budgets list and detail,
// the pages of cash flows and transactions, create-transaction and transfer, over a Bursar database with the bare stack the targets of
// issue 6 were set against: net/http, an HS256 verify of the bearer token, one indexed statement
// per page (two for the transactions: the business of the caller, then the page), a write as one
// UPDATE per account and one INSERT in one transaction, and encoding/json; no validation beyond
// what keeps the data sound, no logging, authorization, sessions, rate limits or middleware.
// `bursar bench --target` measures it on the very data set, database and machine the product was
// measured on, so the two figures compare: what the stack itself can do bounds what Bursar can
// do.
//
// It is a measuring instrument, not a server to deploy: it trusts any token the secret signed,
// shows any budget to anyone, and its writes skip the hourly counts Bursar keeps, so run it on
// a scratch database.

// CeilingConfig is what the ceiling server serves.
type CeilingConfig struct {
	Addr        string // address to listen on
	DatabaseURL string // the Bursar database the product's bench prepared
	Secret      string // BURSAR_SECRET of the measured server; "" reads the one kept in the database
	PageSize    int    // rows of a page (Bursar's is 50; the targets' prototype measured 20)
}

// ServeCeiling runs the ceiling server until ctx ends. ready, when not nil, receives the
// listening address.
func ServeCeiling(ctx context.Context, cfg CeilingConfig, ready func(addr string)) error {
	db, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	secret := []byte(cfg.Secret)
	if cfg.Secret == "" {
		var s string
		err := db.Reader().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'jwt_secret'`).Scan(&s)
		if err != nil {
			return fmt.Errorf("bench-ceiling: the database holds no signing secret (start bursar serve on it once, or set BURSAR_SECRET): %w", err)
		}
		secret = []byte(s)
	}
	if cfg.PageSize < 1 {
		cfg.PageSize = 50
	}
	c := &ceiling{db: db.Reader(), w: db.Writer(), secret: secret, size: cfg.PageSize}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("GET /budgets/", c.budgets)
	mux.HandleFunc("GET /budgets/{id}/", c.budget)
	mux.HandleFunc("GET /cash-flows/", c.cashFlows)
	mux.HandleFunc("GET /finance/transactions", c.transactions)
	mux.HandleFunc("POST /finance/transactions", c.createTransaction)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready(ln.Addr().String())
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type ceiling struct {
	db     *sql.DB
	w      *sql.DB // the writer pool
	secret []byte
	size   int // rows of a page: a literal LIMIT, so PostgreSQL plans the page once, not per call
}

// user verifies the bearer token (HS256, expiry) and returns its user_id; "" answers 401.
func (c *ceiling) user(w http.ResponseWriter, r *http.Request) string {
	var claims struct {
		UserID string `json:"user_id"`
		jwt.RegisteredClaims
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if ok {
		_, err := jwt.ParseWithClaims(tok, &claims, func(*jwt.Token) (any, error) { return c.secret, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
		ok = err == nil && claims.UserID != ""
	}
	if !ok {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return ""
	}
	return claims.UserID
}

type ceilingBudget struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// budgets is GET /budgets/: the budgets the caller created or has a share on, and their count.
func (c *ceiling) budgets(w http.ResponseWriter, r *http.Request) {
	uid := c.user(w, r)
	if uid == "" {
		return
	}
	const visible = `(SELECT id FROM budgets WHERE creator_id = $1 UNION ALL SELECT budget_id FROM budget_shares WHERE user_id = $1)`
	rows, err := c.db.QueryContext(r.Context(), `SELECT b.id, b.name, b.description,
		(SELECT COUNT(*) FROM budgets WHERE id IN `+visible+`)
		FROM budgets b WHERE b.id IN `+visible+` ORDER BY b.id DESC LIMIT `+strconv.Itoa(c.size), uid)
	writePage(c, w, rows, err, func(rows *sql.Rows, count *int64) (b ceilingBudget, err error) {
		return b, rows.Scan(&b.ID, &b.Name, &b.Description, count)
	})
}

type ceilingShare struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Role     int    `json:"role"`
}

// budget is GET /budgets/{id}/: a budget the caller sees, its creator, its shares and its stored
// totals, in one statement (a row per share).
func (c *ceiling) budget(w http.ResponseWriter, r *http.Request) {
	uid := c.user(w, r)
	if uid == "" {
		return
	}
	rows, err := c.db.QueryContext(r.Context(), `SELECT b.id, b.name, b.description, u.id, COALESCE(u.username, ''),
		COALESCE(u.email, ''), b.incomes, b.expenses, sh.id, COALESCE(su.username, ''), sh.role
		FROM budgets b JOIN users u ON u.id = b.creator_id
		LEFT JOIN budget_shares sh ON sh.budget_id = b.id LEFT JOIN users su ON su.id = sh.user_id
		WHERE b.id = $2 AND (b.creator_id = $1 OR EXISTS (SELECT 1 FROM budget_shares v WHERE v.budget_id = b.id AND v.user_id = $1))
		ORDER BY sh.id DESC`, uid, r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var out struct {
		ceilingBudget
		Creator struct {
			ID       string `json:"id"`
			Username string `json:"username"`
			Email    string `json:"email"`
		} `json:"creator"`
		Shares []ceilingShare `json:"shares"`
		Totals struct {
			Incomes  string `json:"incomes"`
			Expenses string `json:"expenses"`
			Total    string `json:"total"`
		} `json:"total_balance"`
	}
	out.Shares = []ceilingShare{}
	found := false
	for rows.Next() {
		var inc, exp int64
		var shID sql.NullString
		var sh ceilingShare
		var role sql.NullInt64
		if err := rows.Scan(&out.ID, &out.Name, &out.Description, &out.Creator.ID, &out.Creator.Username,
			&out.Creator.Email, &inc, &exp, &shID, &sh.Username, &role); err != nil {
			rows.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		found = true
		out.Totals.Incomes, out.Totals.Expenses = money.Cents(inc).String(), money.Cents(exp).String()
		out.Totals.Total = money.Cents(inc - exp).String()
		if shID.Valid {
			sh.ID, sh.Role = shID.String, int(role.Int64)
			out.Shares = append(out.Shares, sh)
		}
	}
	if err := rows.Err(); err == nil && !found {
		http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
		return
	}
	c.finish(w, rows, &out)
}

type ceilingFlow struct {
	ID          string  `json:"id"`
	Budget      string  `json:"budget"`
	Category    *string `json:"category"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Amount      string  `json:"amount"`
	Type        int     `json:"type"`
}

// cashFlows is GET /cash-flows/?budget=: the budget's stored count and its newest cash flows.
func (c *ceiling) cashFlows(w http.ResponseWriter, r *http.Request) {
	if c.user(w, r) == "" {
		return
	}
	rows, err := c.db.QueryContext(r.Context(), `SELECT f.id, f.budget_id, f.category_id, f.name, f.description,
		f.amount, f.type, (SELECT b.cash_flow_count FROM budgets b WHERE b.id = $1)
		FROM cash_flows f WHERE f.budget_id = $1 ORDER BY f.id DESC LIMIT `+strconv.Itoa(c.size), r.URL.Query().Get("budget"))
	writePage(c, w, rows, err, func(rows *sql.Rows, count *int64) (f ceilingFlow, err error) {
		var cat sql.NullString
		var amount int64
		if err := rows.Scan(&f.ID, &f.Budget, &cat, &f.Name, &f.Description, &amount, &f.Type, count); err != nil {
			return f, err
		}
		if cat.Valid {
			f.Category = &cat.String
		}
		f.Amount = money.Cents(amount).String()
		return f, nil
	})
}

type ceilingRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type ceilingTransaction struct {
	ID          string      `json:"id"`
	Type        string      `json:"type"`
	Amount      string      `json:"amount"`
	Description string      `json:"description"`
	Account     ceilingRef  `json:"account"`
	Category    *ceilingRef `json:"category"`
	Contact     *ceilingRef `json:"contact"`
	Operator    ceilingRef  `json:"operator"`
	Payment     *string     `json:"payment"`
	Linked      *string     `json:"linked"`
	Timestamp   string      `json:"timestamp"`
}

// transactions is GET /finance/transactions: the caller's business, then its newest
// transactions with the names they refer to and the stored count.
func (c *ceiling) transactions(w http.ResponseWriter, r *http.Request) {
	uid := c.user(w, r)
	if uid == "" {
		return
	}
	var biz string
	if err := c.db.QueryRowContext(r.Context(), `SELECT business_id FROM owners WHERE user_id = $1`, uid).Scan(&biz); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	rows, err := c.db.QueryContext(r.Context(), `SELECT t.id, t.type, t.amount, t.description, t.account_id, a.name,
		t.category_id, c.name, t.contact_id, ct.name, t.operator_id, u.name, t.payment_id, t.linked_id, t.created_at,
		(SELECT SUM(transaction_count) FROM finance_accounts WHERE business_id = $1)
		FROM (SELECT * FROM finance_transactions WHERE business_id = $1 ORDER BY created_at DESC, id DESC LIMIT `+strconv.Itoa(c.size)+`) t
		JOIN finance_accounts a ON a.id = t.account_id
		JOIN users u ON u.id = t.operator_id
		LEFT JOIN finance_categories c ON c.id = t.category_id
		LEFT JOIN contacts ct ON ct.id = t.contact_id
		ORDER BY t.created_at DESC, t.id DESC`, biz)
	writePage(c, w, rows, err, func(rows *sql.Rows, count *int64) (t ceilingTransaction, err error) {
		var catID, catName, ctID, ctName, payment, linked sql.NullString
		var amount, created int64
		err = rows.Scan(&t.ID, &t.Type, &amount, &t.Description, &t.Account.ID, &t.Account.Name, &catID, &catName,
			&ctID, &ctName, &t.Operator.ID, &t.Operator.Name, &payment, &linked, &created, count)
		if err != nil {
			return t, err
		}
		if catID.Valid {
			t.Category = &ceilingRef{catID.String, catName.String}
		}
		if ctID.Valid {
			t.Contact = &ceilingRef{ctID.String, ctName.String}
		}
		if payment.Valid {
			t.Payment = &payment.String
		}
		if linked.Valid {
			t.Linked = &linked.String
		}
		t.Amount, t.Timestamp = money.Cents(amount).String(), stamp(created)
		return t, nil
	})
}

// createTransaction is POST /finance/transactions: a credit, a debit or a transfer recorded with
// the least a ledger needs: in one transaction, each account's balance moved by one UPDATE (in
// id order, so transfers cannot deadlock) and the legs inserted. No validation beyond what
// keeps the data sound, no hour counts, no read-back.
func (c *ceiling) createTransaction(w http.ResponseWriter, r *http.Request) {
	uid := c.user(w, r)
	if uid == "" {
		return
	}
	var in struct {
		Type, Amount, Account, Description string
		SendTo                             string `json:"send_to"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	amount, err := money.Parse(in.Amount)
	if err != nil || amount <= 0 {
		http.Error(w, "amount", http.StatusBadRequest)
		return
	}
	type leg struct {
		id, account string
		delta       money.Cents
	}
	legs := []leg{{id.New(), in.Account, amount}}
	switch in.Type {
	case "credit":
	case "debit":
		legs[0].delta = -amount
	case "transfer":
		legs[0].delta = -amount
		legs = append(legs, leg{id.New(), in.SendTo, amount})
	default:
		http.Error(w, "type", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	var biz string
	if err := c.db.QueryRowContext(ctx, `SELECT business_id FROM owners WHERE user_id = $1`, uid).Scan(&biz); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	order := []int{0}
	if len(legs) == 2 {
		order = []int{0, 1}
		if legs[1].account < legs[0].account {
			order = []int{1, 0}
		}
	}
	for _, i := range order {
		res, err := tx.ExecContext(ctx, `UPDATE finance_accounts SET balance = balance + $1,
			transaction_count = transaction_count + 1 WHERE id = $2 AND business_id = $3`,
			int64(legs[i].delta), legs[i].account, biz)
		if n, _ := res.RowsAffected(); err != nil || n != 1 {
			http.Error(w, fmt.Sprint("account ", legs[i].account, err), http.StatusBadRequest)
			return
		}
	}
	now := time.Now().UnixMicro()
	args := make([]any, 0, 10*len(legs))
	for i, l := range legs {
		var linked any
		if len(legs) == 2 {
			linked = legs[1-i].id
		}
		args = append(args, l.id, biz, l.account, uid, linked, in.Type, int64(l.delta), max(l.delta, -l.delta).String(),
			in.Description, strings.ToLower(in.Description), now)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO finance_transactions (id, business_id, account_id, operator_id,
		linked_id, type, amount, amount_text, description, search_key, created_at) VALUES `+
		sqlstore.ValuesList(len(legs), 11, true), args...)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"transaction": map[string]string{"id": legs[0].id}})
}

// writePage answers {"count", "results"}: the rows of a page query, each scanned by scan (which
// also scans the count every row carries); a query or scan error answers 500.
func writePage[T any](c *ceiling, w http.ResponseWriter, rows *sql.Rows, err error,
	scan func(rows *sql.Rows, count *int64) (T, error)) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out struct {
		Count   int64 `json:"count"`
		Results []T   `json:"results"`
	}
	out.Results = make([]T, 0, c.size)
	for rows.Next() {
		v, err := scan(rows, &out.Count)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out.Results = append(out.Results, v)
	}
	c.finish(w, rows, &out)
}

// finish checks the rows' error and writes v as JSON.
func (c *ceiling) finish(w http.ResponseWriter, rows *sql.Rows, v any) {
	if err := rows.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func stamp(us int64) string { return time.UnixMicro(us).UTC().Format(time.RFC3339Nano) }
