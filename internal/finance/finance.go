// Package finance is the Business family's money: a business's financial accounts, its
// hierarchical categories, and transactions (credits, debits and transfers) that move account
// balances (business-api.md §2.5, §4.3; defects 2, 9, 10, 12, 13; conventions S10, S21, S22).
//
// Every balance is stored on its account row, with the account's number of transactions (and
// its number per UTC hour), and they change in the same database transaction as the
// transactions that change them, in one bounded UPDATE per account (in id order so that
// transfers cannot deadlock; SQLite's single writer already serialises). A balance therefore
// always equals the sum of its account's transactions, and the counts their number: lists count
// a million transactions, or a week of them, without counting rows.
//
// A transaction may settle a receivable or payable (package billing): the payment's amount
// paid, status and paid date change in the same database transaction, with the payment row
// locked before the account rows on every path (create, settle, delete), so that settles and
// transfers cannot deadlock either.
package finance

import (
	"context"
	"time"

	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/money"
)

// Account is a financial account (a bank account, the till) of a business.
type Account struct {
	ID         string
	BusinessID string
	Name       string
	Balance    money.Cents // Σ amounts of the account's transactions (stored with their count)
	IsActive   bool
	CreatedAt  time.Time
}

// Category classifies transactions; categories form a tree (Parent up to the root).
type Category struct {
	ID         string
	BusinessID string
	ParentID   *string
	Name       string
	IsActive   bool
	CreatedAt  time.Time
	Parent     *Category // filled by the service up to the root
}

// Type is a transaction's kind.
type Type string

// The transaction types.
const (
	Credit   Type = "credit"
	Debit    Type = "debit"
	Transfer Type = "transfer"
)

// Ref names an object a transaction refers to.
type Ref struct {
	ID   string
	Name string
}

// Transaction is one movement of money on one account. Amount is signed: positive credits,
// negative debits; a transfer is two transactions (Linked to each other), −a on the source and
// +a on the destination.
type Transaction struct {
	ID          string
	BusinessID  string
	Type        Type
	Amount      money.Cents
	Description string
	Account     Ref
	Category    *Ref
	Contact     *Ref // Name: the customer's name or the supplier's legal name
	Operator    Ref  // the user who recorded it
	PaymentID   *string
	LinkedID    *string
	Timestamp   time.Time
}

// ContactRef is what a transaction needs of a contact.
type ContactRef struct {
	Name     string
	IsActive bool
}

// Filter selects transactions of a list; zero fields do not filter.
type Filter struct {
	Search     string         // §1.6: amount prefix, description substring or exact id
	AccountIDs []string       // the accounts a bank filter matched; non-nil and empty matches nothing
	Span       *business.Span // on the timestamp
}

// Store is the persistence finance needs. Every method that takes a businessID sees only that
// business's objects and answers NotFound for others. The billing.Ledger methods reach the
// receivables and payables that transactions settle.
type Store interface {
	billing.Ledger

	// FinanceTx runs fn in one write transaction with a Store bound to it.
	FinanceTx(ctx context.Context, fn func(tx Store) error) error

	CreateFinanceAccount(ctx context.Context, a *Account) error
	// UpdateFinanceAccount stores an account's name and is_active (never its balance).
	UpdateFinanceAccount(ctx context.Context, a *Account) error
	// FinanceAccount returns an account; with lock, inside a transaction, its row stays locked
	// until the transaction ends.
	FinanceAccount(ctx context.Context, businessID, id string, lock bool) (*Account, error)
	// ListFinanceAccounts lists accounts by balance, highest first (ties: id descending).
	ListFinanceAccounts(ctx context.Context, businessID string, p business.Page) ([]Account, int, error)
	// AllFinanceAccounts returns every account of the business (a handful).
	AllFinanceAccounts(ctx context.Context, businessID string) ([]Account, error)
	// MoveFinanceAccount adds delta to an account's balance, and sign for each time in at to
	// its stored number of transactions, in all and in the UTC hour of that time (what date
	// filters count with), when the balance stays within ±money.Limit; ok is false, and nothing
	// changes, when it would not. It locks the account's row to the end of the transaction, so
	// every write and delete of transactions calls it last, once for each account it touches.
	MoveFinanceAccount(ctx context.Context, businessID, accountID string, delta money.Cents, at []time.Time, sign int) (ok bool, err error)

	CreateFinanceCategory(ctx context.Context, c *Category) error
	UpdateFinanceCategory(ctx context.Context, c *Category) error
	FinanceCategory(ctx context.Context, businessID, id string) (*Category, error)
	ListFinanceCategories(ctx context.Context, businessID string, p business.Page) ([]Category, int, error)
	// FinanceCategoriesByID returns those of ids that are the business's categories.
	FinanceCategoriesByID(ctx context.Context, businessID string, ids []string) ([]Category, error)

	// FinanceContact returns a customer or supplier of the business.
	FinanceContact(ctx context.Context, businessID, id string) (*ContactRef, error)

	// CreateFinanceTransactions inserts transactions together: the legs of a transfer, which
	// name each other in LinkedID.
	CreateFinanceTransactions(ctx context.Context, ts ...*Transaction) error
	// RecordFinanceTransactions inserts legs (one, or a transfer's two) and applies their
	// MovesOf to the accounts' balances, counts and hour counts, atomically (in a transaction of
	// its own when the store is not in one), and returns the first leg as stored, read in the
	// same statement or transaction. It returns nil, having written nothing, when a balance
	// would leave ±money.Limit or an account is gone.
	RecordFinanceTransactions(ctx context.Context, legs ...*Transaction) (*Transaction, error)
	FinanceTransaction(ctx context.Context, businessID, id string) (*Transaction, error)
	// DeleteFinanceTransactions deletes those of ids that are the business's and says how
	// many there were.
	DeleteFinanceTransactions(ctx context.Context, businessID string, ids []string) (int, error)
	// ListFinanceTransactions lists transactions newest first (ties: id descending). Without a
	// search the count comes from the stored counts: the accounts' or, for a date span, their
	// hours'.
	ListFinanceTransactions(ctx context.Context, businessID string, f Filter, p business.Page) ([]Transaction, int, error)
}

// Service implements finance's rules over a Store.
type Service struct {
	store Store
	clock clock.Clock
}

// NewService returns a Service.
func NewService(store Store, clk clock.Clock) *Service {
	return &Service{store: store, clock: clk}
}
