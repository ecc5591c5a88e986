// Package summary is the Budgets family's daily summary e-mail (budgets-api.md §8; conventions
// S20, S26, S30; defects D5, D6): who receives it, what it says, and sending each user's
// summary of a day at most once. It knows nothing of River; package jobs schedules it.
//
// Recipients are the active users who opted in (get_notification) and have an e-mail address;
// a user whose budgets (owned or shared) number zero gets no message. Each user is sent on
// their own (Send), so one failure never stops the others and can be retried alone.
package summary

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/mail"
	"github.com/bursar/bursar/internal/money"
)

// Subject is the subject of every summary (conventions S30).
const Subject = "Your budgets summary"

// Keep is how many days of delivery records Prune keeps: far longer than any retry or catch-up
// of a day's summary can last, so a record is never dropped while it still guards a day.
const Keep = 30

// Budget is one line of a summary: a budget the user owns or shares, with its stored sums.
type Budget struct {
	ID       string
	Name     string
	Incomes  money.Cents
	Expenses money.Cents
}

// Store is the persistence the summary needs. A day is a local date, "YYYY-MM-DD".
type Store interface {
	UserByID(ctx context.Context, id string) (*auth.User, error)
	// SummaryRecipients lists the ids of the users due a summary, in id order: active, opted
	// in, with an e-mail address, and owning or sharing at least one budget.
	SummaryRecipients(ctx context.Context) ([]string, error)
	// SummaryBudgets lists the budgets the user owns or shares, newest first.
	SummaryBudgets(ctx context.Context, userID string) ([]Budget, error)
	// ClaimSummary records, at, that the user's summary of day is being sent; false when it
	// was claimed before (sent, or being sent).
	ClaimSummary(ctx context.Context, userID, day string, at time.Time) (bool, error)
	// MarkSummarySent records that the claimed summary went out.
	MarkSummarySent(ctx context.Context, userID, day string, at time.Time) error
	// ReleaseSummary drops a claim whose summary was not sent, so it can be tried again.
	ReleaseSummary(ctx context.Context, userID, day string) error
	// PruneSummaries deletes the delivery records of the days before day.
	PruneSummaries(ctx context.Context, before string) error
}

// Result says what Send did.
type Result uint8

// The results of Send.
const (
	Sent        Result = iota + 1
	NotDue             // the user is gone, inactive, opted out or has no e-mail address
	NoBudgets          // the user owns and shares no budget: no message (S30)
	AlreadySent        // this day's summary was sent (or claimed) before
)

func (r Result) String() string {
	switch r {
	case Sent:
		return "sent"
	case NotDue:
		return "not_due"
	case NoBudgets:
		return "no_budgets"
	case AlreadySent:
		return "already_sent"
	}
	return "unknown"
}

// Service sends summaries.
type Service struct {
	store Store
	mail  mail.Sender
	from  string
	clock clock.Clock
	log   *slog.Logger
}

// NewService returns a Service that sends from the address from (BURSAR_MAIL_FROM).
func NewService(store Store, sender mail.Sender, from string, clk clock.Clock, log *slog.Logger) *Service {
	return &Service{store: store, mail: sender, from: from, clock: clk, log: log}
}

// Recipients returns the ids of the users due day's summary, and prunes the delivery records
// older than Keep days before day.
func (s *Service) Recipients(ctx context.Context, day string) ([]string, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return nil, fmt.Errorf("summary day %q: %w", day, err)
	}
	if err := s.store.PruneSummaries(ctx, d.AddDate(0, 0, -Keep).Format(time.DateOnly)); err != nil {
		return nil, fmt.Errorf("prune summary records: %w", err)
	}
	ids, err := s.store.SummaryRecipients(ctx)
	if err != nil {
		return nil, fmt.Errorf("summary recipients: %w", err)
	}
	return ids, nil
}

// Send e-mails the user their summary of day, at most once per day: the day is claimed in the
// database before the message goes out and released if sending fails (so a retry sends it),
// and a claimed day is never sent again. The user's eligibility and budgets are read now, so
// a user who opted out since the day's recipients were listed gets nothing.
//
// A process that dies between claiming and sending leaves a claim without sent_at; that day
// is not sent rather than risk sending it twice.
func (s *Service) Send(ctx context.Context, userID, day string) (Result, error) {
	u, err := s.store.UserByID(ctx, userID)
	if apperr.IsKind(err, apperr.NotFound) {
		return NotDue, nil
	}
	if err != nil {
		return 0, fmt.Errorf("summary user %s: %w", userID, err)
	}
	if !u.IsActive || !u.GetNotification || u.Email == "" {
		return NotDue, nil
	}
	budgets, err := s.store.SummaryBudgets(ctx, userID)
	if err != nil {
		return 0, fmt.Errorf("summary budgets of %s: %w", userID, err)
	}
	if len(budgets) == 0 {
		return NoBudgets, nil
	}
	claimed, err := s.store.ClaimSummary(ctx, userID, day, s.clock.Now())
	if err != nil {
		return 0, fmt.Errorf("claim summary %s of %s: %w", day, userID, err)
	}
	if !claimed {
		return AlreadySent, nil
	}
	m := mail.Message{From: s.from, To: u.Email, Subject: Subject, Body: Body(budgets)}
	if err := s.mail.Send(ctx, m); err != nil {
		err = fmt.Errorf("send summary %s to %s: %w", day, userID, err)
		// The job's context may be what failed; releasing must not depend on it.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if rerr := s.store.ReleaseSummary(rctx, userID, day); rerr != nil {
			return 0, errors.Join(err, fmt.Errorf("release the claim (the day stays unsent): %w", rerr))
		}
		return 0, err
	}
	if err := s.store.MarkSummarySent(ctx, userID, day, s.clock.Now()); err != nil {
		// Sent all the same; a retry finds the claim and sends nothing.
		return Sent, fmt.Errorf("mark summary %s of %s sent: %w", day, userID, err)
	}
	s.log.InfoContext(ctx, "budgets summary sent", "user_id", userID, "day", day, "budgets", len(budgets))
	return Sent, nil
}

// Body is the text of a summary: one line per budget, in the order given (newest first),
// "<name> (<id>): incomes <x>, expenses <y>, total <z>" with total = incomes − expenses
// (conventions S30, defects D3, D5). Line breaks and other control characters in a name
// become spaces, so each budget stays on one line.
func Body(budgets []Budget) string {
	var b strings.Builder
	for _, bg := range budgets {
		name := strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
				return ' '
			}
			return r
		}, bg.Name)
		fmt.Fprintf(&b, "%s (%s): incomes %s, expenses %s, total %s\n", name, bg.ID, bg.Incomes, bg.Expenses,
			bg.Incomes-bg.Expenses)
	}
	return b.String()
}
