package finance

import (
	"context"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// SettleInput is the body of POST /receivables/{id}/settle and /payables/{id}/settle. The
// other transaction keys a client may send (type, description, category, contact, operator)
// are overwritten (business-api.md §2.6).
type SettleInput struct {
	Amount  opt.Opt[money.Cents] // sign ignored
	Account opt.Opt[string]
}

// Settle records money received on a receivable or paid on a payable of kind
// (business-api.md §2.6; conventions S22; defects 14, 17, 18): a credit (receivable) or debit
// (payable) of |amount| on account, described "<notes> | Ref. Receivable ID <id>" (or Payable),
// with the payment's contact and category, linked to the payment. In one database transaction,
// with the payment locked and then the account: the balance moves, and the payment's amount
// paid, status and paid date follow (billing.Payment.Pay). amount must be > 0 and at most the
// outstanding balance; a payment of the other kind is not found.
func (s *Service) Settle(ctx context.Context, a *business.Actor, kind billing.Kind, paymentID string, in SettleInput) (*Transaction, error) {
	var out *Transaction
	err := s.store.FinanceTx(ctx, func(tx Store) error {
		p, err := tx.LockPayment(ctx, a.BusinessID, paymentID)
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			return &apperr.Error{Kind: apperr.NotFound, Message: billing.NotFoundMsg(kind), Err: err}
		case err != nil:
			return err
		case p.Kind != kind:
			return apperr.New(apperr.NotFound, billing.NotFoundMsg(kind))
		}
		f := apperr.Fields{}
		c := &checked{typ: Debit, description: p.SettleDescription(), payment: &p.ID,
			amount: checkAmount(f, in.Amount), account: checkAccount(f, in.Account)}
		if kind.Credits() {
			c.typ = Credit
		}
		if err := f.Err(); err != nil {
			return err
		}
		accs, err := s.checkRefs(ctx, tx, a.BusinessID, c, TransactionInput{Account: in.Account})
		if err != nil {
			return err
		}
		// The payment's own references, copied after the checks: they were checked when the
		// payment took them, and settling must not fail because one was deactivated since.
		c.contact, c.category = &p.ContactID, p.CategoryID
		out, err = s.record(ctx, tx, a, c, accs, p)
		return err
	})
	return out, err
}

// lockPayment locks the payment a transaction settles, before any account (every path locks a
// payment first), and checks that the transaction may settle it: a credit for a receivable, a
// debit for a payable (S22).
func lockPayment(ctx context.Context, tx Store, f apperr.Fields, businessID string, c *checked, sent string) (*billing.Payment, error) {
	p, err := tx.LockPayment(ctx, businessID, *c.payment)
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		f.Add("payment", field.NoSuchObject(sent))
		return nil, nil
	case err != nil:
		return nil, err
	case p.Kind.Credits() && c.typ != Credit:
		f.Add("payment", billing.MsgReceivableByCredit)
	case !p.Kind.Credits() && c.typ != Debit:
		f.Add("payment", billing.MsgPayableByDebit)
	}
	return p, nil
}

// checkAmount validates a required amount whose sign is ignored and returns |amount|.
func checkAmount(f apperr.Fields, v opt.Opt[money.Cents]) money.Cents {
	switch {
	case !v.Set:
		f.Add("amount", apperr.MsgRequired)
	case v.Null:
		f.Add("amount", apperr.MsgNull)
	case v.V == 0:
		f.Add("amount", MsgAmountZero)
	case v.V.WholeDigits() > MaxAmountDigits:
		f.Add("amount", "Ensure that there are no more than 10 digits before the decimal point.")
	default:
		return max(v.V, -v.V)
	}
	return 0
}

// checkAccount validates a required account reference and returns it in canonical form.
func checkAccount(f apperr.Fields, v opt.Opt[string]) string {
	if !v.Set || v.Null || v.V == "" {
		field.Required(f, "account", v, 26, field.Create)
	} else if acc, _ := field.Ref(f, "account", v, field.Create); acc != nil {
		return *acc
	}
	return ""
}
