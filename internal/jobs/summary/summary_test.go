package summary_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/jobs/summary"
	"github.com/bursar/bursar/internal/mail"
	"github.com/bursar/bursar/internal/mail/mailtest"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

var ctx = context.Background()

const from = "bursar@example.com"

// town is a database of users in every situation the summary distinguishes.
type town struct {
	db    *sqlstore.DB
	clock *clock.Fixed
	users map[string]*auth.User
	// the budgets' ids by name
	budget map[string]string
}

// newTown builds, oldest budget first:
//
//	ana   opted in, e-mail; owns Casa (1500.00/420.75) and Viagem (0/99.99); shares Clube
//	bea   opted in, e-mail; owns Clube (10.50/0)
//	gil   opted in, e-mail; shares Clube (editor)
//	caio  opted in, no e-mail; owns Sem e-mail
//	duda  opted in, e-mail, inactive; owns Inativa
//	edu   opted in, e-mail; no budgets
//	fabi  opted out, e-mail; owns Sem aviso
func newTown(t *testing.T, db *sqlstore.DB) *town {
	t.Helper()
	w := &town{db: db, clock: clock.NewFixed(time.Date(2026, 6, 1, 19, 0, 0, 0, time.UTC)),
		users: map[string]*auth.User{}, budget: map[string]string{}}
	for _, u := range []struct {
		name, email    string
		active, notify bool
	}{
		{"ana", "ana@example.com", true, true}, {"bea", "bea@example.com", true, true},
		{"gil", "gil@example.com", true, true}, {"caio", "", true, true},
		{"duda", "duda@example.com", false, true}, {"edu", "edu@example.com", true, true},
		{"fabi", "fabi@example.com", true, false},
	} {
		name := u.name
		usr := &auth.User{ID: id.New(), Username: &name, Email: u.email, PasswordHash: "!", IsActive: u.active,
			GetNotification: u.notify, CreatedAt: w.clock.Now()}
		if err := db.CreateUser(ctx, usr); err != nil {
			t.Fatal(err)
		}
		w.users[name] = usr
	}
	svc := budgets.NewService(db, w.clock)
	flow := func(owner, budget string, typ int64, amount money.Cents) {
		if _, err := svc.CreateCashFlow(ctx, w.users[owner].ID, budgets.CashFlowInput{Budget: opt.Of(w.budget[budget]),
			Name: opt.Of("f"), Amount: opt.Of(amount), Type: opt.Of(typ)}); err != nil {
			t.Fatal(err)
		}
	}
	create := func(owner, name string) {
		b, err := svc.CreateBudget(ctx, w.users[owner].ID, budgets.BudgetInput{Name: opt.Of(name)})
		if err != nil {
			t.Fatal(err)
		}
		w.budget[name] = b.ID
	}
	share := func(budget, with string, role int64) {
		owner := map[string]string{"Clube": "bea"}[budget]
		if _, err := svc.CreateShare(ctx, w.users[owner].ID, budgets.ShareInput{Budget: opt.Of(w.budget[budget]),
			SharedWith: opt.Of(with), Role: opt.Of(role)}); err != nil {
			t.Fatal(err)
		}
	}
	create("ana", "Casa")
	flow("ana", "Casa", 1, 150000)
	flow("ana", "Casa", 2, 42075)
	create("bea", "Clube")
	flow("bea", "Clube", 1, 1050)
	share("Clube", "ana", 2)
	share("Clube", "gil", 1)
	create("ana", "Viagem")
	flow("ana", "Viagem", 2, 9999)
	for owner, name := range map[string]string{"caio": "Sem e-mail", "fabi": "Sem aviso"} {
		create(owner, name)
	}
	// duda's budget, made while she was active
	duda := w.users["duda"]
	b := &budgets.Budget{ID: id.New(), CreatorID: duda.ID, Name: "Inativa", CreatedAt: w.clock.Now()}
	if err := db.CreateBudget(ctx, b); err != nil {
		t.Fatal(err)
	}
	return w
}

// lines returns the expected summary lines of a user.
func (w *town) lines(user string) string {
	line := func(name, figures string) string { return name + " (" + w.budget[name] + "): " + figures + "\n" }
	switch user {
	case "ana":
		return line("Viagem", "incomes 0.00, expenses 99.99, total -99.99") +
			line("Clube", "incomes 10.50, expenses 0.00, total 10.50") +
			line("Casa", "incomes 1500.00, expenses 420.75, total 1079.25")
	case "bea", "gil":
		return line("Clube", "incomes 10.50, expenses 0.00, total 10.50")
	}
	return ""
}

// outbox is a mail.Sender that keeps messages and fails the next sends to chosen addresses.
type outbox struct {
	mu   sync.Mutex
	sent []mail.Message
	fail map[string]int
}

func (o *outbox) Send(_ context.Context, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail[m.To] > 0 {
		o.fail[m.To]--
		return errors.New("451 try again later")
	}
	o.sent = append(o.sent, m)
	return nil
}

func (o *outbox) to() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, m := range o.sent {
		out = append(out, m.To)
	}
	return out
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// sendAll runs the summary of day for every recipient, as the send jobs would, and returns each
// user's result and error by username.
func (w *town) sendAll(t *testing.T, svc *summary.Service, day string) (map[string]summary.Result, map[string]error) {
	t.Helper()
	ids, err := svc.Recipients(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	res, errs := map[string]summary.Result{}, map[string]error{}
	for _, uid := range ids {
		name := w.name(uid)
		res[name], errs[name] = svc.Send(ctx, uid, day)
	}
	return res, errs
}

func (w *town) name(userID string) string {
	for n, u := range w.users {
		if u.ID == userID {
			return n
		}
	}
	return userID
}

func TestRecipients(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newTown(t, db)
		svc := summary.NewService(db, &outbox{}, from, w.clock, quiet())
		ids, err := svc.Recipients(ctx, "2026-06-01")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, id := range ids {
			got = append(got, w.name(id))
		}
		slices.Sort(got)
		// Not caio (no e-mail), duda (inactive), edu (no budgets) nor fabi (opted out).
		if want := []string{"ana", "bea", "gil"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("recipients = %v, want %v", got, want)
		}
	})
}

func TestSendWritesOneLinePerBudget(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newTown(t, db)
		box := &outbox{}
		svc := summary.NewService(db, box, from, w.clock, quiet())
		res, errs := w.sendAll(t, svc, "2026-06-01")
		for name, err := range errs {
			if err != nil || res[name] != summary.Sent {
				t.Fatalf("%s: %v, %v; want sent", name, res[name], err)
			}
		}
		if len(box.sent) != 3 {
			t.Fatalf("sent %d messages, want 3", len(box.sent))
		}
		for _, m := range box.sent {
			user := strings.TrimSuffix(m.To, "@example.com")
			want := mail.Message{From: from, To: user + "@example.com", Subject: "Your budgets summary", Body: w.lines(user)}
			if m != want {
				t.Errorf("message to %s:\n%+v\nwant\n%+v", user, m, want)
			}
		}
		// Directly: the users no one should mail.
		for _, c := range []struct {
			user string
			want summary.Result
		}{{"caio", summary.NotDue}, {"duda", summary.NotDue}, {"fabi", summary.NotDue}, {"edu", summary.NoBudgets}} {
			if got, err := svc.Send(ctx, w.users[c.user].ID, "2026-06-01"); got != c.want || err != nil {
				t.Errorf("send to %s = %v, %v; want %v", c.user, got, err, c.want)
			}
		}
		if got, err := svc.Send(ctx, id.New(), "2026-06-01"); got != summary.NotDue || err != nil {
			t.Errorf("send to a deleted user = %v, %v; want not_due", got, err)
		}
		if len(box.sent) != 3 {
			t.Fatalf("sent %d messages, want still 3", len(box.sent))
		}
	})
}

func TestNeverTwiceForTheSameDay(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newTown(t, db)
		box := &outbox{}
		svc := summary.NewService(db, box, from, w.clock, quiet())
		w.sendAll(t, svc, "2026-06-01")
		// Again, and from a second instance with its own service: nothing more.
		other := summary.NewService(db, box, from, w.clock, quiet())
		for _, s := range []*summary.Service{svc, other} {
			res, errs := w.sendAll(t, s, "2026-06-01")
			for name := range res {
				if res[name] != summary.AlreadySent || errs[name] != nil {
					t.Fatalf("%s again: %v, %v; want already_sent", name, res[name], errs[name])
				}
			}
		}
		if n := len(box.sent); n != 3 {
			t.Fatalf("sent %d messages, want 3", n)
		}
		// The next day is a new summary; its records carry the clock's time.
		w.clock.Add(24 * time.Hour)
		w.sendAll(t, svc, "2026-06-02")
		if n := len(box.sent); n != 6 {
			t.Fatalf("sent %d messages after the next day, want 6", n)
		}
		var claimed, sent int64
		if err := db.Reader().QueryRowContext(ctx, `SELECT claimed_at, sent_at FROM summary_sends WHERE user_id = $1 AND day = $2`,
			w.users["ana"].ID, "2026-06-02").Scan(&claimed, &sent); err != nil {
			t.Fatal(err)
		}
		if want := w.clock.Now().UnixMicro(); claimed != want || sent != want {
			t.Fatalf("claimed_at, sent_at = %d, %d; want %d", claimed, sent, want)
		}
		// A claim whose send never finished (the process died) is not sent again: at most once.
		if _, err := db.ClaimSummary(ctx, w.users["ana"].ID, "2026-06-03", w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.Send(ctx, w.users["ana"].ID, "2026-06-03"); got != summary.AlreadySent || err != nil {
			t.Fatalf("send after an interrupted claim = %v, %v; want already_sent", got, err)
		}
	})
}

func TestAFailedSendIsRetriedAndStopsNoOne(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newTown(t, db)
		box := &outbox{fail: map[string]int{"bea@example.com": 1}}
		svc := summary.NewService(db, box, from, w.clock, quiet())
		res, errs := w.sendAll(t, svc, "2026-06-01")
		if errs["bea"] == nil || !strings.Contains(errs["bea"].Error(), "451") {
			t.Fatalf("bea: %v, want the send error", errs["bea"])
		}
		if res["ana"] != summary.Sent || res["gil"] != summary.Sent {
			t.Fatalf("results = %v, want ana and gil sent despite bea", res)
		}
		// The retry (River runs the job again) sends bea's; nobody gets a second one.
		if got, err := svc.Send(ctx, w.users["bea"].ID, "2026-06-01"); got != summary.Sent || err != nil {
			t.Fatalf("retry: %v, %v", got, err)
		}
		w.sendAll(t, svc, "2026-06-01")
		got := box.to()
		slices.Sort(got)
		if want := []string{"ana@example.com", "bea@example.com", "gil@example.com"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("sent to %v, want %v once each", got, want)
		}
	})
}

func TestOptingOutAfterTheFanOutStopsTheMessage(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newTown(t, db)
		box := &outbox{}
		svc := summary.NewService(db, box, from, w.clock, quiet())
		if _, err := svc.Recipients(ctx, "2026-06-01"); err != nil {
			t.Fatal(err)
		}
		gil := w.users["gil"]
		gil.GetNotification = false
		if err := db.UpdateUser(ctx, gil); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.Send(ctx, gil.ID, "2026-06-01"); got != summary.NotDue || err != nil || len(box.sent) != 0 {
			t.Fatalf("send to an opted-out user = %v, %v, %d messages", got, err, len(box.sent))
		}
	})
}

func TestRecipientsPrunesOldRecords(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newTown(t, db)
		ana := w.users["ana"].ID
		for _, day := range []string{"2026-05-01", "2026-05-02"} {
			if _, err := db.ClaimSummary(ctx, ana, day, w.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		svc := summary.NewService(db, &outbox{}, from, w.clock, quiet())
		if _, err := svc.Recipients(ctx, "2026-06-01"); err != nil { // keeps 30 days: from 2026-05-02
			t.Fatal(err)
		}
		var days []string
		rows, err := db.Reader().QueryContext(ctx, `SELECT day FROM summary_sends ORDER BY day`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				t.Fatal(err)
			}
			days = append(days, d)
		}
		if want := []string{"2026-05-02"}; !reflect.DeepEqual(days, want) {
			t.Fatalf("records left = %v, want %v", days, want)
		}
		if _, err := svc.Recipients(ctx, "June 1st"); err == nil {
			t.Fatal("a malformed day must be an error")
		}
	})
}

func TestBody(t *testing.T) {
	cases := []struct {
		name    string
		budgets []summary.Budget
		want    string
	}{
		{name: "none", want: ""},
		{name: "figures and a negative total", budgets: []summary.Budget{
			{ID: "B", Name: "Férias", Incomes: 5, Expenses: 100000},
			{ID: "A", Name: "Casa", Incomes: 123456, Expenses: 0},
		}, want: "Férias (B): incomes 0.05, expenses 1000.00, total -999.95\nCasa (A): incomes 1234.56, expenses 0.00, total 1234.56\n"},
		{name: "a line break in a name stays on one line", budgets: []summary.Budget{{ID: "C", Name: "a\r\nb\tc\u2028d"}},
			want: "a  b c d (C): incomes 0.00, expenses 0.00, total 0.00\n"},
		{name: "largest amounts", budgets: []summary.Budget{{ID: "D", Name: "x", Incomes: 999999999999999, Expenses: 999999999999999}},
			want: "x (D): incomes 9999999999999.99, expenses 9999999999999.99, total 0.00\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := summary.Body(tc.budgets); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestSummaryOverSMTP sends the day's summaries through a real SMTP server and checks what it
// received: recipients, subject, sender and the per-budget lines.
func TestSummaryOverSMTP(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newTown(t, db)
		srv := mailtest.NewServer(t, mailtest.Options{})
		sender, err := mail.New(srv.URL("", ""), quiet())
		if err != nil {
			t.Fatal(err)
		}
		srv.Reject("gil@example.com", 1)
		svc := summary.NewService(db, sender, from, w.clock, quiet())
		_, errs := w.sendAll(t, svc, "2026-06-01")
		if errs["gil"] == nil {
			t.Fatal("the refused recipient must fail")
		}
		if _, err := svc.Send(ctx, w.users["gil"].ID, "2026-06-01"); err != nil {
			t.Fatalf("retry: %v", err)
		}
		got := map[string]mailtest.Message{}
		for _, m := range srv.Messages() {
			if len(m.To) != 1 {
				t.Fatalf("envelope recipients %v, want one per message", m.To)
			}
			if _, dup := got[m.To[0]]; dup {
				t.Fatalf("%s got two messages", m.To[0])
			}
			got[m.To[0]] = m
		}
		if len(got) != 3 {
			t.Fatalf("received %d messages, want 3 (ana, bea, gil)", len(got))
		}
		for _, user := range []string{"ana", "bea", "gil"} {
			m, ok := got[user+"@example.com"]
			if !ok {
				t.Fatalf("no message for %s", user)
			}
			if m.From != from || m.Subject != "Your budgets summary" || m.Body != w.lines(user) {
				t.Errorf("%s: from %s, subject %q, body\n%s\nwant\n%s", user, m.From, m.Subject, m.Body, w.lines(user))
			}
			if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("%s: Content-Type %q", user, ct)
			}
		}
	})
}
