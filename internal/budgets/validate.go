package budgets

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// Client messages of this family (budgets-api.md §1, conventions S4, S16, S18, S21).
const (
	MsgNameTooLong     = "Ensure this field has no more than 20 characters."
	MsgAmountMin       = "Ensure this value is greater than or equal to 0.01."
	MsgAmountDigits    = "Ensure that there are no more than 13 digits before the decimal point."
	MsgAmountTotal     = "This amount would take the budget's total beyond 9999999999999.99."
	MsgNoSuchCategory  = "No such category in budget."
	MsgNoSuchUser      = "No user with this id, username or e-mail."
	MsgShareCreator    = "Can't share with budget creator."
	MsgFlowMoves       = "A cash flow cannot move to another budget."
	MsgShareMoves      = "A share cannot move to another budget."
	MsgShareChangeUser = "A share cannot move to another user."
)

// maxName is the longest name of a budget, category or cash flow, in code points.
const maxName = 20

// maxAmountDigits is how many digits a cash-flow amount may have before the point (S21).
const maxAmountDigits = 13

// level is what the caller may do with a budget.
type level uint8

const (
	levelRead  level = iota + 1 // read-only sharee
	levelWrite                  // editor sharee: categories and cash flows
	levelOwner                  // creator: everything
)

func levelOf(userID string, m Membership) level {
	switch {
	case m.CreatorID == userID:
		return levelOwner
	case m.Role == RoleEditor:
		return levelWrite
	default:
		return levelRead
	}
}

// name validates a name: required (when required), not null, trimmed, not blank, ≤ 20 code
// points. It reports whether a new value is to be applied.
func name(f apperr.Fields, field string, v opt.Opt[string], required bool) (string, bool) {
	switch {
	case !v.Set:
		if required {
			f.Add(field, apperr.MsgRequired)
		}
		return "", false
	case v.Null:
		f.Add(field, apperr.MsgNull)
		return "", false
	}
	s := strings.TrimSpace(v.V)
	switch {
	case s == "":
		f.Add(field, apperr.MsgBlank)
	case utf8.RuneCountInString(s) > maxName:
		f.Add(field, MsgNameTooLong)
	default:
		return s, true
	}
	return "", false
}

// description validates an optional text: trimmed, may be empty; null means the default, ""
// (conventions S36).
func description(f apperr.Fields, field string, v opt.Opt[string]) (string, bool) {
	if !v.Set {
		return "", false
	}
	return strings.TrimSpace(v.V), true
}

// refID validates a reference to another object by id. An empty string counts as null, as
// form bodies cannot send null.
func refID(f apperr.Fields, field string, v opt.Opt[string], required bool) (string, bool) {
	switch {
	case !v.Set:
		if required {
			f.Add(field, apperr.MsgRequired)
		}
		return "", false
	case v.Null || strings.TrimSpace(v.V) == "":
		f.Add(field, apperr.MsgNull)
		return "", false
	}
	n, ok := id.Normalize(strings.TrimSpace(v.V))
	if !ok {
		f.Add(field, invalidPK(v.V))
		return "", false
	}
	return n, true
}

func invalidPK(v string) string {
	return fmt.Sprintf("Invalid pk %q - object does not exist.", v)
}

// amount validates a cash-flow amount: > 0 (D15, S22) and at most 13 digits before the point.
func amount(f apperr.Fields, v opt.Opt[money.Cents], required bool) (money.Cents, bool) {
	switch {
	case !v.Set:
		if required {
			f.Add("amount", apperr.MsgRequired)
		}
		return 0, false
	case v.Null:
		f.Add("amount", apperr.MsgNull)
		return 0, false
	case v.V <= 0:
		f.Add("amount", MsgAmountMin)
		return 0, false
	case v.V.WholeDigits() > maxAmountDigits:
		f.Add("amount", MsgAmountDigits)
		return 0, false
	}
	return v.V, true
}

// choice validates an integer choice among allowed values.
func choice(f apperr.Fields, field string, v opt.Opt[int64], required bool, allowed ...int64) (int64, bool) {
	switch {
	case !v.Set:
		if required {
			f.Add(field, apperr.MsgRequired)
		}
		return 0, false
	case v.Null:
		f.Add(field, apperr.MsgNull)
		return 0, false
	}
	for _, a := range allowed {
		if v.V == a {
			return a, true
		}
	}
	f.Add(field, fmt.Sprintf("%q is not a valid choice.", fmt.Sprint(v.V)))
	return 0, false
}

// page clamps a page request to sane bounds: 50 items by default, at most 1000.
func page(p Page) Page {
	switch {
	case p.Limit <= 0:
		p.Limit = 50
	case p.Limit > 1000:
		p.Limit = 1000
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

// visibleFilter checks an optional budget filter of a list (conventions S5): "" lists all the
// caller can see; a given id must be well-formed (else 400 under field) and visible (else 404).
func (s *Service) visibleFilter(ctx context.Context, userID, field, budgetID string) (string, error) {
	n, err := filterID(field, budgetID)
	if err != nil || n == "" {
		return n, err
	}
	if _, _, err := s.store.VisibleBudget(ctx, n, userID, false); err != nil {
		return "", err
	}
	return n, nil
}

// filterID normalises an optional budget filter: "" stays "", a malformed id is 400 under field.
func filterID(field, budgetID string) (string, error) {
	if budgetID == "" {
		return "", nil
	}
	n, ok := id.Normalize(budgetID)
	if !ok {
		return "", apperr.Field(field, invalidPK(budgetID))
	}
	return n, nil
}

// objectID normalises the id of the object a method acts on; a malformed one names nothing, so
// it is NotFound (conventions "Identifiers": a malformed path id is 404).
func objectID(s string) (string, error) {
	n, ok := id.Normalize(s)
	if !ok {
		return "", apperr.ErrNotFound()
	}
	return n, nil
}
