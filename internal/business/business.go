// Package business is the Business family's core domain: owners, their business (one each),
// its members and its contacts (customers and suppliers), and who may do what
// (business-api.md §1.2, §2.1–§2.4; conventions S11, S19, S26, S33).
//
// Roles: an owner is a user with an owner record (created by POST /accounts, or by POST
// /business for a user who neither owns nor belongs to a business, S11). A member with access
// has a login user; it acts as staff of its business only. Owner-only operations refuse members
// (Forbidden); a user who is neither owner nor active member with access is Forbidden on every
// business-scoped operation (defect 27). Objects of another business are NotFound.
package business

import (
	"context"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/money"
)

// CashAccountName is the name of the financial account every new business starts with.
const CashAccountName = "Caixa"

// Owner is the profile of a user who owns (or may own) a business; distinct from the user.
type Owner struct {
	ID         string
	UserID     string
	BusinessID *string
	Name       *string
	Email      *string
	Phone      *string
	CreatedAt  time.Time
}

// Business is the company an owner runs. Timezone (IANA) governs its dates and how its
// timestamps are rendered (S26); it is not part of the business object clients see.
type Business struct {
	ID        string
	LegalName string
	TradeName string
	CNPJ      string
	IE        string
	IM        string
	Postcode  string
	City      string
	State     string
	Address   string
	Phone     string
	Email     *string
	IsActive  bool
	Timezone  string
	CreatedAt time.Time
}

// Member is an employee of a business; one with access has a login (Credential).
type Member struct {
	ID                 string
	BusinessID         string
	CredentialID       *string
	CredentialUsername string // the login's username (its phone) when CredentialID is set
	Name               string
	CPF                *string
	DateOfBirth        *string // YYYY-MM-DD
	Role               *string
	HireDate           *string // YYYY-MM-DD
	Salary             *money.Cents
	Phone              string
	Email              string
	HasAccess          bool
	IsActive           bool
	CreatedAt          time.Time
}

// Kind tells a customer from a supplier; customers list first.
type Kind int

// The contact kinds.
const (
	CustomerKind Kind = 1
	SupplierKind Kind = 2
)

// Contact is a customer or a supplier of a business: one id space (business-api.md §3).
// Name is the customer's name or the supplier's legal name, Alias the customer's alias or the
// supplier's trade name; CPF, Gender, AmountSpent and NumberOfOrders are customers' only,
// CNPJ, IE and IM suppliers' only.
type Contact struct {
	ID             string
	BusinessID     string
	Kind           Kind
	Code           *string
	Name           string
	Alias          *string
	CPF            *string
	Gender         *string
	AmountSpent    money.Cents
	NumberOfOrders int64
	CNPJ           *string
	IE             *string
	IM             *string
	IsActive       bool
	Phone          *string
	Email          *string
	Postcode       *string
	City           *string
	State          *string
	Address        *string
	Notes          *string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Page selects a slice of a list.
type Page struct {
	Limit  int
	Offset int
}

// Access is what the store knows of a user's place in the Business family: owner (with or
// without a business) or member with access.
type Access struct {
	Owner      bool
	OwnerID    string  // when Owner
	MemberID   string  // when a member
	BusinessID *string // nil for an owner without a business
	Timezone   string  // the business's zone, when there is a business
	// BusinessInactive: the business was deactivated (DELETE /business)
	BusinessInactive bool
}

// Store is the persistence the business domain needs. Lookups that take a businessID return
// only that business's objects (tenancy in SQL) and a NotFound *apperr.Error otherwise.
type Store interface {
	// BusinessTx runs fn in one write transaction with a Store bound to it.
	BusinessTx(ctx context.Context, fn func(tx Store) error) error

	CreateUser(ctx context.Context, u *auth.User) error
	UpdateUser(ctx context.Context, u *auth.User) error
	UserByID(ctx context.Context, id string) (*auth.User, error)
	SetPasswordHash(ctx context.Context, userID, hash string) error

	// UserAccess returns the user's owner record, else their active member-with-access record;
	// NotFound when they have neither.
	UserAccess(ctx context.Context, userID string) (*Access, error)

	CreateOwner(ctx context.Context, o *Owner) error
	UpdateOwner(ctx context.Context, o *Owner) error
	// OwnerByUser returns the user's owner record; with lock, inside a transaction, its row
	// stays locked until the transaction ends.
	OwnerByUser(ctx context.Context, userID string, lock bool) (*Owner, error)
	// MemberByCredential reports whether the user is the login of any member.
	MemberByCredential(ctx context.Context, userID string) (bool, error)

	CreateBusiness(ctx context.Context, b *Business) error
	UpdateBusiness(ctx context.Context, b *Business) error
	BusinessByID(ctx context.Context, id string) (*Business, error)
	// CreateCashAccount creates the business's first financial account, balance 0.
	CreateCashAccount(ctx context.Context, accountID, businessID, name string, at time.Time) error

	CreateMember(ctx context.Context, m *Member) error
	UpdateMember(ctx context.Context, m *Member) error
	Member(ctx context.Context, businessID, id string) (*Member, error)
	ListMembers(ctx context.Context, businessID string, p Page) ([]Member, int, error)

	CreateContact(ctx context.Context, c *Contact) error
	UpdateContact(ctx context.Context, c *Contact) error
	Contact(ctx context.Context, businessID string, kind Kind, id string) (*Contact, error)
	// ListContacts lists the business's contacts of kind (0: customers then suppliers) whose
	// searched fields contain term ("" for all; term is already folded with Fold).
	ListContacts(ctx context.Context, businessID string, kind Kind, term string, p Page) ([]Contact, int, error)
}

// Service implements the Business family's core rules over a Store.
type Service struct {
	store  Store
	auth   *auth.Service
	clock  clock.Clock
	zone   string // the server zone: the default business time zone (S26)
	scopes *zoneCache
}

// NewService returns a Service; zone is the server's time zone, the default of new businesses.
func NewService(store Store, a *auth.Service, clk clock.Clock, zone *time.Location) *Service {
	return &Service{store: store, auth: a, clock: clk, zone: zone.String(), scopes: newZoneCache()}
}
