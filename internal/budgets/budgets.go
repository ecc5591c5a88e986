// Package budgets is the Budgets family's domain: budgets, their shares, categories and cash
// flows. Every method takes the caller's user id and enforces tenancy and permissions here, not
// in the HTTP layer (budgets-api.md §3–6, conventions "Budgets family specifics", S4–S7, S16–S18,
// S21, S22).
//
// Who may do what with a budget:
//   - its creator: everything;
//   - an editor sharee: read it, and write its categories and cash flows;
//   - a read-only sharee: read it;
//   - anyone else: nothing, and every object of the budget is NotFound to them (never Forbidden),
//     so existence does not leak.
//
// A visible object the caller may not change is Forbidden. Only the creator manages shares; a
// sharee may delete their own share (leave the budget).
package budgets

import (
	"context"
	"errors"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/money"
)

// Role is a sharee's role on a budget. Bursar follows the predecessor's README numbering
// (defect D1): 1 = editor, 2 = read-only.
type Role int

// The share roles.
const (
	RoleEditor   Role = 1
	RoleReadOnly Role = 2
)

// FlowType says whether a cash flow is an income or an expense.
type FlowType int

// The cash-flow types.
const (
	Income  FlowType = 1
	Expense FlowType = 2
)

// Budget is a named collection of cash flows owned by its creator.
type Budget struct {
	ID          string
	CreatorID   string
	Name        string
	Description string
	CreatedAt   time.Time
}

// Share grants one user a role on one budget.
type Share struct {
	ID       string
	BudgetID string
	UserID   string
	Username string // the user's display name (auth.User.DisplayName, conventions S11)
	Role     Role
	// CreatedAt is when the share was made.
	CreatedAt time.Time
}

// Category groups cash flows inside one budget.
type Category struct {
	ID          string
	BudgetID    string
	Name        string
	Description string
	CreatedAt   time.Time
}

// CashFlow is one income or expense of a budget, optionally in one of its categories.
type CashFlow struct {
	ID          string
	BudgetID    string
	CategoryID  *string // nil when uncategorised
	Name        string
	Description string
	Amount      money.Cents // always > 0; Type gives the direction
	Type        FlowType
	CreatedAt   time.Time
}

// Totals sums a budget's cash flows. Total is incomes minus expenses (defect D3).
type Totals struct {
	Incomes  money.Cents
	Expenses money.Cents
	Total    money.Cents
}

// Creator is the public face of a budget's creator in its detail.
type Creator struct {
	ID       string
	Username string // username, else e-mail (conventions S11)
	Email    string
}

// Detail is what anyone who can see a budget gets (conventions S17).
type Detail struct {
	Budget
	Creator Creator
	Shares  []Share // newest first
	Totals  Totals
}

// Membership is the caller's relation to a budget, as the store found it. The store returns
// only budgets (and their objects) the caller created or has a share on.
type Membership struct {
	CreatorID string // the budget's creator
	Role      Role   // the caller's share role; 0 when the caller has no share
}

// Page selects a slice of a list, newest first.
type Page struct {
	Limit  int
	Offset int
}

// UpdateMode says how an update treats absent fields.
type UpdateMode uint8

// The update modes.
const (
	Partial UpdateMode = iota // PATCH: absent fields keep their values
	Full                      // PUT: required fields must be present; absent optional ones keep
)

// ErrTotalsLimit is the store's refusal of a cash flow that would take a budget's incomes or
// expenses beyond ±money.Limit (conventions S21).
var ErrTotalsLimit = errors.New("budgets: a budget total would leave the money limit")

// ErrNoSuchCategory is the store's refusal of a cash flow whose category no longer exists: one
// deleted after the service checked it, before the write.
var ErrNoSuchCategory = errors.New("budgets: the cash flow's category does not exist")

// DetailRecord is what the store reads for a budget's detail: the budget, its creator, its shares
// (newest first) and its stored totals (Total left to the domain).
type DetailRecord struct {
	Budget  Budget
	Creator auth.User // the creator's ID, Username and Email only
	Shares  []Share
	Totals  Totals
}

// Store is the persistence the budgets domain needs. Methods that take a userID return only
// what that user can see (tenancy in SQL) and a NotFound *apperr.Error otherwise.
type Store interface {
	// BudgetsTx runs fn in one write transaction with a Store bound to it.
	BudgetsTx(ctx context.Context, fn func(tx Store) error) error

	UserByID(ctx context.Context, id string) (*auth.User, error)
	UserByUsername(ctx context.Context, username string) (*auth.User, error)
	UserByEmail(ctx context.Context, email string) (*auth.User, error)

	CreateBudget(ctx context.Context, b *Budget) error
	UpdateBudget(ctx context.Context, b *Budget) error
	DeleteBudget(ctx context.Context, id string) error
	// VisibleBudget returns a budget the user created or has a share on. With lock, inside a
	// transaction, the budget row stays locked until the transaction ends (PostgreSQL FOR
	// UPDATE; SQLite's single writer already serialises), so writes to one budget's cash flows
	// and categories are serialised.
	VisibleBudget(ctx context.Context, budgetID, userID string, lock bool) (*Budget, Membership, error)
	// BudgetDetail is VisibleBudget (without lock) with the budget's creator, BudgetShares and
	// BudgetTotals (exceptFlowID ""), read together.
	BudgetDetail(ctx context.Context, budgetID, userID string) (*DetailRecord, error)
	ListBudgets(ctx context.Context, userID string, p Page) ([]Budget, int, error)
	// BudgetTotals sums the budget's incomes and expenses (not Total), leaving out the cash
	// flow exceptFlowID ("" for none).
	BudgetTotals(ctx context.Context, budgetID, exceptFlowID string) (Totals, error)

	CreateShare(ctx context.Context, sh *Share) error
	UpdateShareRole(ctx context.Context, id string, role Role) error
	DeleteShare(ctx context.Context, id string) error
	VisibleShare(ctx context.Context, id, userID string) (*Share, Membership, error)
	// ListShares lists the shares of the budgets the user can see, of budgetID only when it is
	// not "". BudgetShares lists all shares of one budget.
	ListShares(ctx context.Context, userID, budgetID string, p Page) ([]Share, int, error)
	BudgetShares(ctx context.Context, budgetID string) ([]Share, error)

	CreateCategory(ctx context.Context, c *Category) error
	UpdateCategory(ctx context.Context, c *Category) error
	DeleteCategory(ctx context.Context, id string) error
	VisibleCategory(ctx context.Context, id, userID string) (*Category, Membership, error)
	// CategoryInBudget reports whether the category exists in that budget.
	CategoryInBudget(ctx context.Context, categoryID, budgetID string) (bool, error)
	ListCategories(ctx context.Context, userID, budgetID string, p Page) ([]Category, int, error)

	// CreateCashFlow inserts f and adds it to its budget's totals, or returns ErrTotalsLimit and
	// writes nothing when a total would leave ±money.Limit. Both it and UpdateCashFlow return
	// ErrNoSuchCategory, writing nothing, when f's category is gone.
	CreateCashFlow(ctx context.Context, f *CashFlow) error
	UpdateCashFlow(ctx context.Context, f *CashFlow) error
	DeleteCashFlow(ctx context.Context, id string) error
	VisibleCashFlow(ctx context.Context, id, userID string) (*CashFlow, Membership, error)
	// ListCashFlows lists the cash flows of budgetID (every visible budget's when "") the user
	// can see; a budgetID the user cannot see is NotFound.
	ListCashFlows(ctx context.Context, userID, budgetID string, p Page) ([]CashFlow, int, error)
}

// Service implements the Budgets family's rules over a Store.
type Service struct {
	store Store
	clock clock.Clock
}

// NewService returns a Service.
func NewService(store Store, clk clock.Clock) *Service {
	return &Service{store: store, clock: clk}
}
