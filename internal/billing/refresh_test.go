package billing_test

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// TestStatusIsDerivedAtRead: a payment turns overdue the moment its business's date passes its
// due date, without any job (S27); the stored status waits for the refresh.
func TestStatusIsDerivedAtRead(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		r := w.create(t, w.input("2025-06-25"))
		if r.Status != billing.Pending {
			t.Fatalf("due today: %s", r.Status)
		}
		// 02:59 UTC on the 26th is 23:59 on the 25th in Recife: still due today.
		w.clock.Set(time.Date(2025, 6, 26, 2, 59, 0, 0, time.UTC))
		if p := must(w.svc.Payment(ctx, w.owner, billing.Receivable, r.ID))(t); p.Status != billing.Pending {
			t.Fatalf("23:59 local: %s", p.Status)
		}
		w.clock.Set(time.Date(2025, 6, 26, 3, 0, 0, 0, time.UTC))
		if p := must(w.svc.Payment(ctx, w.owner, billing.Receivable, r.ID))(t); p.Status != billing.Overdue {
			t.Fatalf("local midnight: %s", p.Status)
		}
		ps, _, _ := w.svc.List(ctx, w.member, billing.Receivable, billing.Query{}, business.Page{Limit: 50})
		if len(ps) != 1 || ps[0].Status != billing.Overdue {
			t.Fatalf("listed %+v", ps)
		}
		if st := w.stored(t, w.owner.BusinessID, r.ID).Status; st != billing.Pending {
			t.Fatalf("stored before the refresh: %s", st)
		}
		if n := must(w.svc.RefreshStatuses(ctx, w.owner.BusinessID, w.clock.Now()))(t); n != 1 {
			t.Fatalf("refresh changed %d", n)
		}
		if st := w.stored(t, w.owner.BusinessID, r.ID).Status; st != billing.Overdue {
			t.Fatalf("stored after the refresh: %s", st)
		}
	})
}

// TestRefreshStatuses: each business is due for a refresh once its own date changes (S26,
// S27), the refresh writes only the rows whose status changes, and a second run for the same
// date changes nothing and is not listed.
func TestRefreshStatuses(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		tokyo := w.newBusiness(t, "Asia/Tokyo")
		w.newBusiness(t, "Europe/Lisbon") // no payments: never listed
		mk := func(a *business.Actor, due string, paid money.Cents) string {
			t.Helper()
			c := must(w.biz.CreateContact(ctx, a, business.CustomerKind, business.ContactInput{Name: opt.Of("C")}))(t)
			if a == w.owner {
				c = w.customer
			}
			p := must(w.svc.Create(ctx, a, billing.Receivable, billing.Input{Contact: opt.Of(c.ID), IssuedAt: opt.Of("2025-06-01"),
				DueAt: opt.Of(due), Total: opt.Of[money.Cents](10000), Notes: opt.Of("n")}))(t)
			if paid > 0 {
				if _, err := w.db.Writer().ExecContext(ctx, `UPDATE payments SET amount_paid = $1 WHERE id = $2`, int64(paid), p.ID); err != nil {
					t.Fatal(err)
				}
			}
			return p.ID
		}
		// 2025-06-25 12:00 UTC: the 25th everywhere here.
		recifeDue := mk(w.owner, "2025-06-25", 0)
		recifePart := mk(w.owner, "2025-06-25", 2500)
		recifeLater := mk(w.owner, "2025-06-27", 0)
		recifePaid := w.create(t, w.input("2025-06-25")).ID
		must(w.settle(billing.Receivable, recifePaid, 10000))(t)
		utcDue := mk(w.other, "2025-06-25", 0)
		tokyoDue := mk(tokyo, "2025-06-25", 0)

		due := func() []billing.StatusRefresh {
			t.Helper()
			rs := must(w.svc.DueStatusRefreshes(ctx, w.clock.Now()))(t)
			slices.SortFunc(rs, func(a, b billing.StatusRefresh) int { return cmp.Compare(a.BusinessID, b.BusinessID) })
			return rs
		}
		want := func(pairs ...string) []billing.StatusRefresh {
			var out []billing.StatusRefresh
			for i := 0; i < len(pairs); i += 2 {
				out = append(out, billing.StatusRefresh{BusinessID: pairs[i], Date: pairs[i+1]})
			}
			slices.SortFunc(out, func(a, b billing.StatusRefresh) int { return cmp.Compare(a.BusinessID, b.BusinessID) })
			return out
		}
		refresh := func(a *business.Actor) int {
			t.Helper()
			return must(w.svc.RefreshStatuses(ctx, a.BusinessID, w.clock.Now()))(t)
		}
		status := func(a *business.Actor, id string) billing.Status {
			t.Helper()
			return w.stored(t, a.BusinessID, id).Status
		}

		// Never refreshed: every business with unpaid payments is due; nothing changes yet.
		if got := due(); !slices.Equal(got, want(w.owner.BusinessID, "2025-06-25", w.other.BusinessID, "2025-06-25", tokyo.BusinessID, "2025-06-25")) {
			t.Fatalf("due at first: %v", got)
		}
		for _, a := range []*business.Actor{w.owner, w.other, tokyo} {
			if n := refresh(a); n != 0 {
				t.Fatalf("first refresh changed %d", n)
			}
		}
		if got := due(); len(got) != 0 {
			t.Fatalf("due after refreshing: %v", got)
		}
		// 15:30 UTC: Tokyo's midnight has passed (00:30 on the 26th), nobody else's.
		w.clock.Set(time.Date(2025, 6, 25, 15, 30, 0, 0, time.UTC))
		if got := due(); !slices.Equal(got, want(tokyo.BusinessID, "2025-06-26")) {
			t.Fatalf("due at 15:30 UTC: %v", got)
		}
		if n := refresh(tokyo); n != 1 || status(tokyo, tokyoDue) != billing.Overdue {
			t.Fatalf("Tokyo: %d changed, %s", n, status(tokyo, tokyoDue))
		}
		if n := refresh(tokyo); n != 0 {
			t.Fatalf("second Tokyo run changed %d", n)
		}
		// 00:30 UTC on the 26th: UTC's turn; Recife is at 21:30 on the 25th.
		w.clock.Set(time.Date(2025, 6, 26, 0, 30, 0, 0, time.UTC))
		if got := due(); !slices.Equal(got, want(w.other.BusinessID, "2025-06-26")) {
			t.Fatalf("due at 00:30 UTC: %v", got)
		}
		if n := refresh(w.other); n != 1 || status(w.other, utcDue) != billing.Overdue {
			t.Fatalf("UTC: %d changed", n)
		}
		if status(w.owner, recifeDue) != billing.Pending {
			t.Fatal("Recife refreshed early")
		}
		// 03:30 UTC: Recife's midnight. The pending and the partly paid ones turn overdue; the
		// paid one and the one due on the 27th are not written.
		w.clock.Set(time.Date(2025, 6, 26, 3, 30, 0, 0, time.UTC))
		if got := due(); !slices.Equal(got, want(w.owner.BusinessID, "2025-06-26")) {
			t.Fatalf("due at 03:30 UTC: %v", got)
		}
		if n := refresh(w.owner); n != 2 {
			t.Fatalf("Recife changed %d, want 2", n)
		}
		for id, st := range map[string]billing.Status{recifeDue: billing.Overdue, recifePart: billing.Overdue,
			recifeLater: billing.Pending, recifePaid: billing.Paid} {
			if got := status(w.owner, id); got != st {
				t.Errorf("%s: stored %s, want %s", id, got, st)
			}
		}
		if got := due(); len(got) != 0 {
			t.Fatalf("due after every refresh: %v", got)
		}
		// A stored overdue that no longer holds (its business's zone moved back a day) is
		// written back by the same rule.
		if _, err := w.db.Writer().ExecContext(ctx, `UPDATE payments SET status = 'overdue' WHERE id = $1`, recifeLater); err != nil {
			t.Fatal(err)
		}
		if n := refresh(w.owner); n != 1 || status(w.owner, recifeLater) != billing.Pending {
			t.Fatalf("stale overdue: %d changed, %s", n, status(w.owner, recifeLater))
		}
		// Two days later everything left turns overdue, once.
		w.clock.Set(time.Date(2025, 6, 28, 12, 0, 0, 0, time.UTC))
		b, n := must2(w.svc.RefreshAllStatuses(ctx, w.clock.Now()))(t)
		if b != 3 || n != 1 {
			t.Fatalf("refresh all: %d businesses, %d payments; want 3, 1", b, n)
		}
		if b, n := must2(w.svc.RefreshAllStatuses(ctx, w.clock.Now()))(t); b != 0 || n != 0 {
			t.Fatalf("second refresh all: %d businesses, %d payments", b, n)
		}
		if n := must(w.svc.RefreshStatuses(ctx, "01JYM6QVGZBSTGMECFQV138WAA", w.clock.Now()))(t); n != 0 {
			t.Fatalf("unknown business: %d", n)
		}
	})
}

func must2[A, B any](a A, b B, err error) func(t *testing.T) (A, B) {
	return func(t *testing.T) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}
