package budgets_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

func TestCreateSharePermissions(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		dave := newUser(t, w.db, "dave")
		for _, tc := range []struct {
			who    string
			userID string
			want   apperr.Kind
		}{
			{"editor", w.editor.ID, apperr.Forbidden}, // D10
			{"reader", w.reader.ID, apperr.Forbidden},
			{"stranger", w.stranger.ID, apperr.NotFound},
			{"creator", w.creator.ID, none},
		} {
			t.Run(tc.who, func(t *testing.T) {
				_, err := w.svc.CreateShare(ctx, tc.userID, budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of(dave.ID)})
				wantKind(t, err, tc.want)
			})
		}
	})
}

func TestCreateShareResolvesUser(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		dave := newUser(t, w.db, "dave")
		// A user whose username is another user's id: the id wins (S16 order).
		newUser(t, w.db, dave.ID)
		nameless := &auth.User{ID: id.New(), Email: "No.Name@Example.com", PasswordHash: "!", IsActive: true, CreatedAt: time.Now()}
		inactive := &auth.User{ID: id.New(), Username: ptr("gone"), Email: "gone@example.com", PasswordHash: "!", CreatedAt: time.Now()}
		for _, u := range []*auth.User{nameless, inactive} {
			if err := w.db.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			sharedWith string
			wantUser   string
			wantName   string
		}{
			{strings.ToLower(dave.ID), dave.ID, "dave"},
			{"  " + dave.ID + " ", dave.ID, "dave"},
			{"no.name@EXAMPLE.com", nameless.ID, "No.Name@Example.com"},
		} {
			b := must(w.svc.CreateBudget(ctx, w.creator.ID, budgets.BudgetInput{Name: opt.Of("B")}))(t)
			sh := must(w.svc.CreateShare(ctx, w.creator.ID, budgets.ShareInput{Budget: opt.Of(b.ID), SharedWith: opt.Of(tc.sharedWith)}))(t)
			if sh.UserID != tc.wantUser || sh.Username != tc.wantName || sh.Role != budgets.RoleReadOnly || sh.BudgetID != b.ID {
				t.Errorf("shared_with %q: got %+v, want user %s (%s), read-only", tc.sharedWith, sh, tc.wantUser, tc.wantName)
			}
		}
		noUser := map[string][]string{"shared_with": {budgets.MsgNoSuchUser}}
		for _, who := range []string{"nobody", "gone", "gone@example.com", inactive.ID, id.New(), "DAVE"} {
			_, err := w.svc.CreateShare(ctx, w.creator.ID, budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of(who)})
			wantFields(t, err, noUser)
		}
	})
}

func TestCreateShareValidation(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		dave := newUser(t, w.db, "dave")
		for _, tc := range []struct {
			name string
			in   budgets.ShareInput
			want map[string][]string
		}{
			{"empty", budgets.ShareInput{}, map[string][]string{"budget": {apperr.MsgRequired}, "shared_with": {apperr.MsgRequired}}},
			{"blank shared_with, role 3", budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of(" "), Role: opt.Of[int64](3)},
				map[string][]string{"shared_with": {apperr.MsgBlank}, "role": {`"3" is not a valid choice.`}}},
			{"null shared_with", budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Null[string]()},
				map[string][]string{"shared_with": {apperr.MsgNull}}},
			{"creator", budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of("alice")},
				map[string][]string{"shared_with": {budgets.MsgShareCreator}}},
			{"creator by e-mail", budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of("ALICE@example.com")},
				map[string][]string{"shared_with": {budgets.MsgShareCreator}}},
			{"duplicate", budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of("bob"), Role: opt.Of[int64](2)},
				map[string][]string{"non_field_errors": {"The fields budget, shared_with must make a unique set."}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.svc.CreateShare(ctx, w.creator.ID, tc.in)
				wantFields(t, err, tc.want)
			})
		}
		sh := must(w.svc.CreateShare(ctx, w.creator.ID, budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of("dave"), Role: opt.Of[int64](1)}))(t)
		if sh.Role != budgets.RoleEditor || sh.UserID != dave.ID {
			t.Errorf("share %+v", sh)
		}
		// Dave edits now.
		w.category(t, dave.ID, w.budget.ID, "Dave's")
	})
}

func TestUpdateShare(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		other := must(w.svc.CreateBudget(ctx, w.creator.ID, budgets.BudgetInput{Name: opt.Of("Other")}))(t)
		sh := w.readerShare
		for _, tc := range []struct {
			who    string
			userID string
			want   apperr.Kind
		}{
			{"editor", w.editor.ID, apperr.Forbidden}, // D10
			{"own share", w.reader.ID, apperr.Forbidden},
			{"stranger", w.stranger.ID, apperr.NotFound},
		} {
			t.Run(tc.who, func(t *testing.T) {
				_, err := w.svc.UpdateShare(ctx, tc.userID, sh.ID, budgets.ShareInput{Role: opt.Of[int64](1)})
				wantKind(t, err, tc.want)
			})
		}
		// D9: budget and shared_with cannot change.
		_, err := w.svc.UpdateShare(ctx, w.creator.ID, sh.ID, budgets.ShareInput{
			Budget: opt.Of(other.ID), SharedWith: opt.Of("mallory"), Role: opt.Of[int64](1)})
		wantFields(t, err, map[string][]string{"budget": {budgets.MsgShareMoves}, "shared_with": {budgets.MsgShareChangeUser}})
		_, err = w.svc.UpdateShare(ctx, w.creator.ID, sh.ID, budgets.ShareInput{Role: opt.Of[int64](0)})
		wantFields(t, err, map[string][]string{"role": {`"0" is not a valid choice.`}})
		if got := must(w.svc.Share(ctx, w.reader.ID, sh.ID))(t); got.Role != budgets.RoleReadOnly {
			t.Fatalf("failed update changed the role to %d", got.Role)
		}
		// Equal values (in any accepted form) are ignored; role changes.
		got := must(w.svc.UpdateShare(ctx, w.creator.ID, sh.ID, budgets.ShareInput{
			Budget: opt.Of(strings.ToLower(w.budget.ID)), SharedWith: opt.Of("CAROL@example.com"), Role: opt.Of[int64](1)}))(t)
		if got.Role != budgets.RoleEditor || got.UserID != w.reader.ID || got.BudgetID != w.budget.ID || got.Username != "carol" {
			t.Errorf("updated %+v", got)
		}
		// The reader now edits.
		w.category(t, w.reader.ID, w.budget.ID, "Carol's")
		got = must(w.svc.UpdateShare(ctx, w.creator.ID, sh.ID, budgets.ShareInput{}))(t)
		if got.Role != budgets.RoleEditor {
			t.Errorf("empty update changed the role to %d", got.Role)
		}
	})
}

func TestDeleteShare(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		// Sharees cannot remove others' shares; strangers see nothing.
		wantKind(t, w.svc.DeleteShare(ctx, w.editor.ID, w.readerShare.ID), apperr.Forbidden)
		wantKind(t, w.svc.DeleteShare(ctx, w.stranger.ID, w.readerShare.ID), apperr.NotFound)
		// D11: a read-only sharee leaves the budget.
		wantKind(t, w.svc.DeleteShare(ctx, w.reader.ID, w.readerShare.ID), none)
		_, err := w.svc.Budget(ctx, w.reader.ID, w.budget.ID)
		wantKind(t, err, apperr.NotFound)
		// The creator removes the editor.
		wantKind(t, w.svc.DeleteShare(ctx, w.creator.ID, w.editorShare.ID), none)
		_, err = w.svc.CreateCategory(ctx, w.editor.ID, budgets.CategoryInput{Budget: opt.Of(w.budget.ID), Name: opt.Of("x")})
		wantKind(t, err, apperr.NotFound)
		wantKind(t, w.svc.DeleteShare(ctx, w.creator.ID, w.editorShare.ID), apperr.NotFound)
	})
}

func TestSharesList(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		other := must(w.svc.CreateBudget(ctx, w.stranger.ID, budgets.BudgetInput{Name: opt.Of("Other")}))(t)
		o := must(w.svc.CreateShare(ctx, w.stranger.ID, budgets.ShareInput{Budget: opt.Of(other.ID), SharedWith: opt.Of("carol")}))(t)
		// S17: every sharee lists all shares of the budgets they see.
		items, n := must2(w.svc.Shares(ctx, w.editor.ID, w.budget.ID, budgets.Page{}))(t)
		if n != 2 || items[0].ID != w.readerShare.ID || items[1].ID != w.editorShare.ID {
			t.Errorf("editor's view = %d %+v", n, items)
		}
		items, n = must2(w.svc.Shares(ctx, w.reader.ID, "", budgets.Page{}))(t)
		if n != 3 || items[0].ID != o.ID {
			t.Errorf("reader's view = %d %+v", n, items)
		}
		items, n = must2(w.svc.Shares(ctx, w.editor.ID, "", budgets.Page{}))(t)
		if n != 2 {
			t.Errorf("editor's view = %d %+v", n, items)
		}
		_, _, err := w.svc.Shares(ctx, w.editor.ID, other.ID, budgets.Page{})
		wantKind(t, err, apperr.NotFound)
		_, err = w.svc.Share(ctx, w.editor.ID, o.ID)
		wantKind(t, err, apperr.NotFound)
		got := must(w.svc.Share(ctx, w.reader.ID, o.ID))(t)
		if got.Username != "carol" || got.BudgetID != other.ID {
			t.Errorf("share %+v", got)
		}
	})
}

// TestStrangerSeesNothing walks every read and write with a stranger's id and expects NotFound
// (or empty lists) throughout (tenancy, conventions "Errors").
func TestStrangerSeesNothing(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		c := w.category(t, w.creator.ID, w.budget.ID, "Food")
		f := w.flow(t, w.creator.ID, w.budget.ID, "1", 1, &c.ID)
		s := w.stranger.ID
		errs := []error{}
		add := func(_ any, err error) { errs = append(errs, err) }
		add(w.svc.Budget(ctx, s, w.budget.ID))
		add(w.svc.Category(ctx, s, c.ID))
		add(w.svc.CashFlow(ctx, s, f.ID))
		add(w.svc.Share(ctx, s, w.editorShare.ID))
		add(w.svc.UpdateBudget(ctx, s, w.budget.ID, budgets.BudgetInput{}, budgets.Partial))
		add(w.svc.UpdateCategory(ctx, s, c.ID, budgets.CategoryInput{}, budgets.Partial))
		add(w.svc.UpdateCashFlow(ctx, s, f.ID, budgets.CashFlowInput{}, budgets.Partial))
		add(w.svc.UpdateShare(ctx, s, w.editorShare.ID, budgets.ShareInput{}))
		add(w.svc.CreateCategory(ctx, s, budgets.CategoryInput{Budget: opt.Of(w.budget.ID), Name: opt.Of("x")}))
		add(w.svc.CreateShare(ctx, s, budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of("dave")}))
		add(nil, w.svc.DeleteBudget(ctx, s, w.budget.ID))
		add(nil, w.svc.DeleteCategory(ctx, s, c.ID))
		add(nil, w.svc.DeleteCashFlow(ctx, s, f.ID))
		add(nil, w.svc.DeleteShare(ctx, s, w.editorShare.ID))
		for _, list := range []func() (int, error){
			func() (int, error) { _, n, err := w.svc.Categories(ctx, s, w.budget.ID, budgets.Page{}); return n, err },
			func() (int, error) { _, n, err := w.svc.CashFlows(ctx, s, w.budget.ID, budgets.Page{}); return n, err },
			func() (int, error) { _, n, err := w.svc.Shares(ctx, s, w.budget.ID, budgets.Page{}); return n, err },
		} {
			add(list())
		}
		for i, err := range errs {
			if !apperr.IsKind(err, apperr.NotFound) {
				t.Errorf("call %d: err = %v, want NotFound", i, err)
			}
		}
		for _, list := range []func() int{
			func() int { _, n, _ := w.svc.Budgets(ctx, s, budgets.Page{}); return n },
			func() int { _, n, _ := w.svc.Categories(ctx, s, "", budgets.Page{}); return n },
			func() int { _, n, _ := w.svc.CashFlows(ctx, s, "", budgets.Page{}); return n },
			func() int { _, n, _ := w.svc.Shares(ctx, s, "", budgets.Page{}); return n },
		} {
			if n := list(); n != 0 {
				t.Errorf("stranger lists %d items", n)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }
