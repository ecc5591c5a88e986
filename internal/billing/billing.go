// Package billing is the Business family's receivables and payables: one resource, the
// payment, told apart by its kind (business-api.md §2.6, §3, §4; defects 13–20 and 22;
// conventions S9, S22, S25–S27).
//
// A payment's amount paid moves only with the financial transactions that settle it; package
// finance records those (POST /finance/transactions with a payment, and the settle routes) and
// applies the rules of this package (Payment.Pay, Payment.Unpay) in the same database
// transaction, with the payment row locked before any account row. Every path that locks both
// takes the payment first, so settles and transfers cannot deadlock.
//
// A payment's status is derived by one rule, Derive, whenever a payment is read, so a status
// never goes stale (S27, defect 19). The stored status is what Derive gave at the last write or
// status refresh (RefreshStatuses), which keeps it current for anything reading the table.
package billing

import (
	"context"
	"sync"
	"time"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/money"
)

// Kind tells a receivable from a payable; the route decides it, never the client.
type Kind string

// The payment kinds.
const (
	Receivable Kind = "receivable"
	Payable    Kind = "payable"
)

// Status is where a payment stands.
type Status string

// The statuses.
const (
	Pending       Status = "pending"
	PartiallyPaid Status = "partially_paid"
	Overdue       Status = "overdue"
	Paid          Status = "paid"
)

// Recurrence is how a payment repeats; it is expanded when the payment is created (§4.2) and
// the original then reads once.
type Recurrence string

// The recurrences.
const (
	Once         Recurrence = "once"
	Weekly       Recurrence = "weekly"
	Monthly      Recurrence = "monthly"
	Installments Recurrence = "installments"
)

// Payment is a receivable or a payable. Dates are YYYY-MM-DD in the business's zone; amounts
// are cents. The outstanding balance is Total − Paid, never stored.
type Payment struct {
	ID               string
	BusinessID       string
	Kind             Kind
	ContactID        string
	ContactName      string // the customer's name or the supplier's legal name (reads only)
	CategoryID       *string
	CategoryName     *string // reads only
	IssuedAt         string
	DueAt            string
	Total            money.Cents
	Paid             money.Cents
	Status           Status
	PaidAt           *string
	Method           *string
	Recurrence       Recurrence
	InstallmentCount *int64
	DueWeekday       *string
	DueDayOfMonth    *int64
	Reference        *string
	Notes            string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Outstanding is what remains to be paid.
func (p *Payment) Outstanding() money.Cents { return p.Total - p.Paid }

// Filter selects payments of a list; zero fields do not filter.
type Filter struct {
	Search   string // folded with business.Fold: contact name or alias, reference, notes
	From, To string // due_at in [From, To), YYYY-MM-DD; both set or both empty
}

// Ref is what a payment needs of the contact or category it names.
type Ref struct {
	Name     string
	IsActive bool
}

// Ledger is the part of the store that records what transactions paid: finance's Store embeds
// it, so that a transaction, its account's balance and its payment change in one database
// transaction.
type Ledger interface {
	// LockPayment returns a payment of the business (without names) with its row locked until
	// the transaction ends; NotFound when the business has no such payment.
	LockPayment(ctx context.Context, businessID, id string) (*Payment, error)
	// SetPaymentPaid stores a locked payment's amount paid, status, paid date and updated_at.
	SetPaymentPaid(ctx context.Context, p *Payment) error
}

// Store is the persistence billing needs. Every method that takes a businessID sees only that
// business's objects and answers NotFound for others.
type Store interface {
	Ledger
	// BillingTx runs fn in one write transaction with a Store bound to it.
	BillingTx(ctx context.Context, fn func(tx Store) error) error

	// CreatePayment inserts a payment.
	CreatePayment(ctx context.Context, p *Payment) error
	// UpdatePayment stores every field of a locked payment but its kind, business and creation.
	UpdatePayment(ctx context.Context, p *Payment) error
	// Payment returns a payment of the business with its contact's and category's names.
	Payment(ctx context.Context, businessID, id string) (*Payment, error)
	// ListPayments lists the business's payments of kind in id order.
	ListPayments(ctx context.Context, businessID string, kind Kind, f Filter, p business.Page) ([]Payment, int, error)
	// DeletePayment deletes a payment of the business.
	DeletePayment(ctx context.Context, businessID, id string) error
	// PaymentSettled reports whether any financial transaction refers to the payment.
	PaymentSettled(ctx context.Context, id string) (bool, error)

	// PaymentContact returns a customer or supplier of the business.
	PaymentContact(ctx context.Context, businessID, id string) (*Ref, error)
	// PaymentCategory returns a financial category of the business.
	PaymentCategory(ctx context.Context, businessID, id string) (*Ref, error)

	// BusinessZone returns a business's time zone name.
	BusinessZone(ctx context.Context, businessID string) (string, error)
	// StaleStatuses returns, locked and in id order, the business's unpaid payments whose
	// stored status may differ from the one derived for today: not overdue yet due before
	// today, or overdue yet not due before today.
	StaleStatuses(ctx context.Context, businessID, today string) ([]Payment, error)
	// SetPaymentStatus stores a locked payment's status.
	SetPaymentStatus(ctx context.Context, id string, st Status) error
	// MarkStatusRefresh records that the business's statuses were refreshed for day.
	MarkStatusRefresh(ctx context.Context, businessID, day string, at time.Time) error
	// OpenZones returns the time zones of the businesses that have unpaid payments.
	OpenZones(ctx context.Context) ([]string, error)
	// StatusRefreshesDue returns the businesses of zone that have unpaid payments and whose last
	// status refresh was not for day.
	StatusRefreshesDue(ctx context.Context, zone, day string) ([]string, error)
}

// Service implements billing's rules over a Store.
type Service struct {
	store Store
	clock clock.Clock
	zones sync.Map // zone name → *time.Location, for the status refresh
}

// NewService returns a Service.
func NewService(store Store, clk clock.Clock) *Service {
	return &Service{store: store, clock: clk}
}
