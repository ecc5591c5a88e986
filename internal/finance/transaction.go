package finance

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// Messages of transactions (business-api.md §2.5; conventions S21, S22).
const (
	MsgTransactionNotFound = "Financial transaction not found."
	MsgDeleteNotFound      = "Transaction not found." // DELETE's message differs from GET's
	MsgNoDestination       = "Destination account not provided"
	MsgAccountInactive     = "This account is inactive."
	MsgContactInactive     = "This contact is inactive."
	MsgAmountZero          = "Ensure this value is not zero."
	MsgBalanceRange        = "This amount would take the account balance beyond 9999999999999.99."
	MsgSameAccount         = "The destination must be another account."
	MsgTransferPayment     = "A transfer cannot settle a payment."
	MsgDeleteRange         = "Deleting this transaction would take the account balance beyond 9999999999999.99."
)

// MaxAmountDigits is how many digits an amount may have before the point: decimal(12,2).
const MaxAmountDigits = 10

// Types are the transaction types a client may send.
var Types = []string{string(Credit), string(Debit), string(Transfer)}

// TransactionInput is the body of POST /finance/transactions. The amount's sign is ignored: the
// type gives it.
type TransactionInput struct {
	Type, Description                       opt.Opt[string]
	Amount                                  opt.Opt[money.Cents]
	Account, Category, Contact, Payment, To opt.Opt[string] // To is send_to
}

// checked is a validated TransactionInput.
type checked struct {
	typ         Type
	amount      money.Cents // > 0
	description string
	account     string
	to          string // transfers only
	category    *string
	contact     *string
	payment     *string // the receivable or payable it settles
}

func checkTransaction(in TransactionInput) (*checked, error) {
	if in.Type.Has() && in.Type.V == string(Transfer) && (!in.To.Has() || in.To.V == "") {
		return nil, apperr.New(apperr.Invalid, MsgNoDestination)
	}
	f := apperr.Fields{}
	c := &checked{}
	if t, ok := field.Required(f, "type", in.Type, 255, field.Create); ok {
		if slices.Contains(Types, t) {
			c.typ = Type(t)
		} else {
			f.Add("type", field.ChoiceMsg(t))
		}
	}
	c.amount = checkAmount(f, in.Amount)
	if d, ok := field.Required(f, "description", in.Description, 255, field.Create); ok {
		c.description = d
	}
	c.account = checkAccount(f, in.Account)
	c.category, _ = field.Ref(f, "category", in.Category, field.Create)
	c.contact, _ = field.Ref(f, "contact", in.Contact, field.Create)
	if c.typ == Transfer {
		if to, _ := field.Ref(f, "send_to", in.To, field.Create); to != nil {
			c.to = *to
			if c.to == c.account {
				f.Add("send_to", MsgSameAccount)
			}
		}
	}
	c.payment, _ = field.Ref(f, "payment", in.Payment, field.Create)
	if c.payment != nil && c.typ == Transfer {
		f.Add("payment", MsgTransferPayment)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// CreateTransaction records a credit, a debit, or a transfer (both legs), and moves the
// balances atomically. Every referenced object must be an active one of the caller's business
// (defect 2, S22); nothing is written otherwise (defect 10). For a transfer, the answer is the
// source leg. Without a payment the checks read first and the store writes in one step
// (createUnpaid). A credit may settle a receivable and a debit a payable (payment): then, in
// one database transaction, the payment is locked first and follows the settle rules (S22,
// billing.Payment.Pay), and each balance changes last, in one bounded UPDATE (record).
func (s *Service) CreateTransaction(ctx context.Context, a *business.Actor, in TransactionInput) (*Transaction, error) {
	c, err := checkTransaction(in)
	if err != nil {
		return nil, err
	}
	if c.payment == nil {
		return s.createUnpaid(ctx, a, c, in)
	}
	var out *Transaction
	err = s.store.FinanceTx(ctx, func(tx Store) error {
		f := apperr.Fields{}
		p, err := lockPayment(ctx, tx, f, a.BusinessID, c, in.Payment.V)
		if err != nil {
			return err
		}
		accs, err := s.checkRefs(ctx, tx, a.BusinessID, c, in)
		if err != nil && !f.Merge(err) {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		out, err = s.record(ctx, tx, a, c, accs, p)
		return err
	})
	return out, err
}

// createUnpaid records a credit, a debit or a transfer that settles no payment without holding
// a transaction open around its checks: the references are read first, then the store writes
// the legs and moves their accounts' balances and counts together (RecordFinanceTransactions:
// one statement on PostgreSQL, so a hot account's row is locked only while it runs and commits).
func (s *Service) createUnpaid(ctx context.Context, a *business.Actor, c *checked, in TransactionInput) (*Transaction, error) {
	accs, err := s.checkRefs(ctx, s.store, a.BusinessID, c, in)
	if err != nil {
		return nil, err
	}
	legs := s.legs(a, c, accs, s.clock.Now())
	t, err := s.store.RecordFinanceTransactions(ctx, legs...)
	if err == nil && t == nil {
		err = apperr.Field("amount", MsgBalanceRange)
	}
	return t, err
}

// legs builds the transactions c records: one, or a transfer's two (linked to each other).
func (s *Service) legs(a *business.Actor, c *checked, accs map[string]*Account, now time.Time) []*Transaction {
	t := &Transaction{ID: id.New(), BusinessID: a.BusinessID, Type: c.typ, Amount: c.amount,
		Description: c.description, Account: Ref{ID: c.account}, Operator: Ref{ID: a.UserID}, Timestamp: now,
		PaymentID: c.payment}
	if c.category != nil {
		t.Category = &Ref{ID: *c.category}
	}
	if c.contact != nil {
		t.Contact = &Ref{ID: *c.contact}
	}
	var legs []*Transaction
	switch c.typ {
	case Debit:
		t.Amount = -c.amount
		legs = []*Transaction{t}
	case Credit:
		legs = []*Transaction{t}
	case Transfer:
		src, dst := accs[c.account], accs[c.to]
		t.Amount = -c.amount
		t.Description = "Transfer Sent to " + dst.Name + " • " + c.description
		recv := &Transaction{ID: id.New(), BusinessID: a.BusinessID, Type: Transfer, Amount: c.amount,
			Description: "Transfer Received from " + src.Name + " • " + c.description,
			Account:     Ref{ID: c.to}, Operator: t.Operator, Timestamp: now, LinkedID: &t.ID}
		t.LinkedID = &recv.ID
		legs = []*Transaction{t, recv}
	}
	return legs
}

// record writes the transaction c (both legs of a transfer) on the locked accounts, moves their
// balances, and pays its amount on the locked payment p (nil when it settles none).
func (s *Service) record(ctx context.Context, tx Store, a *business.Actor, c *checked, accs map[string]*Account, p *billing.Payment) (*Transaction, error) {
	now := s.clock.Now()
	legs := s.legs(a, c, accs, now)
	t := legs[0]
	if p != nil {
		if err := p.Pay(c.amount, now, a.Location, "amount"); err != nil {
			return nil, err
		}
	}
	if err := tx.CreateFinanceTransactions(ctx, legs...); err != nil {
		return nil, err
	}
	if p != nil {
		if err := tx.SetPaymentPaid(ctx, p); err != nil {
			return nil, err
		}
	}
	out, err := tx.FinanceTransaction(ctx, a.BusinessID, t.ID)
	if err != nil {
		return nil, err
	}
	// The balances last, each in one bounded UPDATE: an account's row is locked only from
	// here to the commit, so concurrent writers on a hot account queue for one statement, not
	// for the whole transaction. Accounts in id order, so two transfers between the same
	// accounts cannot deadlock.
	ok, err := addBalances(ctx, tx, legs, 1)
	if err == nil && !ok {
		err = apperr.Field("amount", MsgBalanceRange)
	}
	return out, err
}

// Move is what a set of legs does to one account: Delta to its balance, and one count for each
// time in At (sign × one, in the hour of each time).
type Move struct {
	AccountID string
	Delta     money.Cents
	At        []time.Time
}

// MovesOf groups legs by account, in account id order (the order every writer of several
// accounts locks them in, so that two cannot deadlock), each leg's amount times sign.
func MovesOf(legs []*Transaction, sign int) []Move {
	legs = slices.Clone(legs)
	slices.SortStableFunc(legs, func(a, b *Transaction) int { return strings.Compare(a.Account.ID, b.Account.ID) })
	var out []Move
	for i := 0; i < len(legs); {
		m := Move{AccountID: legs[i].Account.ID}
		j := i
		for ; j < len(legs) && legs[j].Account.ID == m.AccountID; j++ {
			m.Delta += money.Cents(sign) * legs[j].Amount
			m.At = append(m.At, legs[j].Timestamp)
		}
		out = append(out, m)
		i = j
	}
	return out
}

// addBalances applies MovesOf(legs, sign), each account in one MoveFinanceAccount (one
// statement on PostgreSQL). It reports false when a balance would leave ±money.Limit (S21); the
// caller then fails, rolling back what it wrote.
func addBalances(ctx context.Context, tx Store, legs []*Transaction, sign int) (bool, error) {
	for _, m := range MovesOf(legs, sign) {
		if ok, err := tx.MoveFinanceAccount(ctx, legs[0].BusinessID, m.AccountID, m.Delta, m.At, sign); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// checkRefs reads the accounts c names and checks every reference against the business. The
// accounts are not locked: record changes their balances last, each in one bounded UPDATE.
func (s *Service) checkRefs(ctx context.Context, tx Store, businessID string, c *checked, in TransactionInput) (map[string]*Account, error) {
	f := apperr.Fields{}
	refs := map[string]string{c.account: "account"}
	sent := map[string]string{"account": in.Account.V, "send_to": in.To.V}
	if c.typ == Transfer {
		refs[c.to] = "send_to"
	}
	ids := make([]string, 0, len(refs))
	for accID := range refs {
		ids = append(ids, accID)
	}
	slices.Sort(ids)
	accs := map[string]*Account{}
	for _, accID := range ids {
		name := refs[accID]
		acc, err := tx.FinanceAccount(ctx, businessID, accID, false)
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			f.Add(name, field.NoSuchObject(sent[name]))
		case err != nil:
			return nil, err
		case !acc.IsActive:
			f.Add(name, MsgAccountInactive)
		default:
			accs[accID] = acc
		}
	}
	if c.category != nil {
		cat, err := tx.FinanceCategory(ctx, businessID, *c.category)
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			f.Add("category", field.NoSuchObject(in.Category.V))
		case err != nil:
			return nil, err
		case !cat.IsActive:
			f.Add("category", MsgCategoryInactive)
		}
	}
	if c.contact != nil {
		ct, err := tx.FinanceContact(ctx, businessID, *c.contact)
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			f.Add("contact", field.NoSuchObject(in.Contact.V))
		case err != nil:
			return nil, err
		case !ct.IsActive:
			f.Add("contact", MsgContactInactive)
		}
	}
	return accs, f.Err()
}

// Transaction returns a transaction of the caller's business.
func (s *Service) Transaction(ctx context.Context, a *business.Actor, transactionID string) (*Transaction, error) {
	t, err := s.store.FinanceTransaction(ctx, a.BusinessID, transactionID)
	return t, notFound(err, MsgTransactionNotFound)
}

// DeleteTransaction deletes a transaction, and the other leg of a transfer, and takes their
// amounts back off the balances and off the payment it settled (its status re-derived, so an
// overdue payment stays overdue, defect 19), in one database transaction with the payment and
// then the accounts locked.
func (s *Service) DeleteTransaction(ctx context.Context, a *business.Actor, transactionID string) error {
	return s.store.FinanceTx(ctx, func(tx Store) error {
		t, err := tx.FinanceTransaction(ctx, a.BusinessID, transactionID)
		if err != nil {
			return notFound(err, MsgDeleteNotFound)
		}
		var p *billing.Payment // locked before the accounts, as everywhere
		if t.PaymentID != nil {
			if p, err = tx.LockPayment(ctx, a.BusinessID, *t.PaymentID); err != nil {
				return err
			}
		}
		legs := []*Transaction{t}
		if t.LinkedID != nil {
			other, err := tx.FinanceTransaction(ctx, a.BusinessID, *t.LinkedID)
			if err == nil {
				legs = append(legs, other)
			} else if !apperr.IsKind(err, apperr.NotFound) {
				return err
			}
		}
		ids := make([]string, 0, 2)
		for _, l := range legs {
			if !slices.Contains(ids, l.Account.ID) {
				ids = append(ids, l.Account.ID)
			}
		}
		// The accounts are locked before the rows go, in id order, so that two deletes of the
		// same transfer queue here instead of deadlocking on its two rows.
		slices.Sort(ids)
		for _, accID := range ids {
			if _, err := tx.FinanceAccount(ctx, a.BusinessID, accID, true); err != nil {
				return err
			}
		}
		gone := make([]string, len(legs))
		for i, l := range legs {
			gone[i] = l.ID
		}
		n, err := tx.DeleteFinanceTransactions(ctx, a.BusinessID, gone)
		if err != nil {
			return err
		}
		if n != len(gone) { // deleted meanwhile by another request: nothing to take back
			return apperr.New(apperr.NotFound, MsgDeleteNotFound)
		}
		ok, err := addBalances(ctx, tx, legs, -1)
		if err == nil && !ok {
			// 400 naming the amount, like a write that would pass the bound (conventions S21).
			f := apperr.Fields{}
			f.Add("amount", MsgDeleteRange)
			err = f.Err()
		}
		if err != nil || p == nil {
			return err
		}
		p.Unpay(max(t.Amount, -t.Amount), s.clock.Now(), a.Location)
		return tx.SetPaymentPaid(ctx, p)
	})
}

// ListTransactions lists the caller's business's transactions, newest first, filtered
// (business-api.md §1.6–§1.7): search (≥ 3 characters) matches the amount's 2-place rendering
// as a prefix (S10), the description case-insensitively, or the id exactly; bank (≥ 3
// characters) an account's id or, case-insensitively, its whole name; date or start_date with
// end_date the timestamp in the business's zone.
func (s *Service) ListTransactions(ctx context.Context, a *business.Actor, q Query, p business.Page) ([]Transaction, int, error) {
	if q.Date.Set && (q.StartDate.Set || q.EndDate.Set) {
		return nil, 0, apperr.New(apperr.Invalid, business.MsgDateBoth)
	}
	term, err := business.SearchTerm(q.Search)
	if err != nil {
		return nil, 0, err
	}
	span, err := business.DateFilter(a.Location, s.clock.Now(), q.Date, q.StartDate, q.EndDate)
	if err != nil {
		return nil, 0, err
	}
	f := Filter{Search: term, Span: span}
	if q.Bank.Set {
		bank, err := business.SearchTerm(q.Bank)
		if err != nil {
			return nil, 0, err
		}
		if f.AccountIDs, err = s.bankAccounts(ctx, a.BusinessID, bank); err != nil {
			return nil, 0, err
		}
	}
	return s.store.ListFinanceTransactions(ctx, a.BusinessID, f, p)
}

// Query is the query string of GET /finance/transactions.
type Query struct {
	Search, Bank, Date, StartDate, EndDate opt.Opt[string]
}

// bankAccounts returns the ids of the business's accounts whose id is bank or whose name is
// bank, compared case-insensitively (never nil).
func (s *Service) bankAccounts(ctx context.Context, businessID, bank string) ([]string, error) {
	accs, err := s.store.AllFinanceAccounts(ctx, businessID)
	if err != nil {
		return nil, err
	}
	canon, _ := id.Normalize(bank)
	ids := []string{}
	for _, acc := range accs {
		if acc.ID == canon || strings.EqualFold(acc.Name, bank) {
			ids = append(ids, acc.ID)
		}
	}
	return ids, nil
}
