//go:build faults

package faults

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/mail/mailtest"
)

// TestSMTPOutage: the daily summary falls due while the SMTP server is unreachable. The send
// fails and is retried later; once the server is up the summary goes out, and only once, even
// across a restart (issue 7, item 4).
func TestSMTPOutage(t *testing.T) {
	eachBackend(t, smtpOutage)
}

func smtpOutage(t *testing.T, b backend) {
	now := time.Now().UTC()
	if now.Hour() == 0 && now.Minute() < 3 {
		t.Skip("too close to midnight UTC for a summary due two minutes ago today")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	smtpAddr := ln.Addr().String()
	ln.Close() // nothing listens there: the SMTP server is down
	dsn := b.dsn
	// First run: the summary time is an hour away, so nothing is due while the user is set up.
	srv := newServer(t, dsn, "BURSAR_SMTP_URL=smtp://"+smtpAddr,
		"BURSAR_SUMMARY_AT="+now.Add(time.Hour).Format("15:04"))
	srv.start()
	c := newClient(srv.url())
	w := setup(t, c)
	c.do(context.Background(), "PATCH", "/me/preferences", map[string]any{"get_notification": true}, w.token).must(t, http.StatusOK)
	c.do(context.Background(), "POST", "/cash-flows/", map[string]any{"budget": w.budget, "name": "Salary",
		"amount": "1500.00", "type": 1}, w.token).must(t, http.StatusCreated)
	if err := srv.terminate(30 * time.Second); err != nil {
		t.Fatal(err)
	}

	// Second run: the summary was due two minutes ago; the leader catches it up at once.
	srv.env = append(srv.env, "BURSAR_SUMMARY_AT="+now.Add(-2*time.Minute).Format("15:04"))
	srv.start()
	db := openStore(t, dsn)
	failures := func() (attempts int, errs int) {
		_ = db.Reader().QueryRowContext(context.Background(), `SELECT COALESCE(MAX(attempt), 0),
			COALESCE(SUM(CASE WHEN errors IS NULL THEN 0 ELSE 1 END), 0) FROM river_job WHERE kind = 'budgets_summary'`).Scan(&attempts, &errs)
		return
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, errs := failures(); errs > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no failed summary attempt within 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	down := time.Now()
	attemptsDown, _ := failures()

	// The SMTP server comes up on the address Bursar was given.
	mails := mailtest.NewServer(t, mailtest.Options{Addr: smtpAddr})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	msgs, err := mails.Wait(ctx, 1)
	if err != nil {
		t.Fatalf("no summary within 90 s of the SMTP server coming up: %v", err)
	}
	delivered := time.Since(down)
	attempts, _ := failures()

	// A restart (a deploy) must not send it again.
	if err := srv.terminate(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	srv.start()
	time.Sleep(3 * time.Second)
	if got := len(mails.Messages()); got != 1 {
		t.Fatalf("%d summaries delivered, want exactly 1", got)
	}
	var sends int
	if err := db.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM summary_sends WHERE sent_at IS NOT NULL`).Scan(&sends); err != nil || sends != 1 {
		t.Fatalf("summary_sends has %d sent rows (%v), want 1", sends, err)
	}
	t.Logf("%s: summary to %s: %d failed attempt(s) while SMTP was down, delivered on attempt %d, %s after the server came up; "+
		"one message after a restart", b.name, msgs[0].To, attemptsDown, attempts, delivered.Round(time.Millisecond))
}
