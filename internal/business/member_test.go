package business_test

import (
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/password"
)

func TestMemberLogin(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		if !w.memberUser.IsStaff || !w.memberUser.IsActive || *w.memberUser.Username != "81999990000" ||
			w.memberUser.Name != "Mark" || w.member.CredentialUsername != "81999990000" {
			t.Fatalf("member login %+v / member %+v", w.memberUser, w.member)
		}
		if ok, _, _ := password.Verify(w.memberUser.PasswordHash, w.member.ID, password.Params{MemoryKiB: 64, Time: 1, Threads: 1}); ok {
			t.Fatal("the member's id is its password (defect 4)")
		}
		// Without a password the login exists but has no usable password (S19).
		m := must(w.svc.CreateMember(ctx, w.ownerActor, business.MemberInput{Name: opt.Of("Lia"), Phone: opt.Of("81911112222"),
			Email: opt.Of("lia@example.com"), HasAccess: opt.Of(true)}))(t)
		u := must(w.db.UserByID(ctx, *m.CredentialID))(t)
		if u.PasswordHash != password.Unusable || !u.IsActive {
			t.Fatalf("login without password %+v", u)
		}
		// The login follows the member; access withdrawn deactivates it.
		m = must(w.svc.UpdateMember(ctx, w.ownerActor, m.ID, business.MemberInput{Phone: opt.Of("81933334444"),
			Name: opt.Of("Lia M."), HasAccess: opt.Of(false)}))(t)
		u = must(w.db.UserByID(ctx, *m.CredentialID))(t)
		if *u.Username != "81933334444" || u.Name != "Lia M." || u.IsActive {
			t.Fatalf("login after PATCH %+v", u)
		}
		// Phone/e-mail of another user's login are refused (S19), the member's own are fine.
		_, err := w.svc.CreateMember(ctx, w.ownerActor, business.MemberInput{Name: opt.Of("X"), Phone: opt.Of("olivia"),
			Email: opt.Of("x@example.com"), HasAccess: opt.Of(true)})
		if e, _ := apperr.As(err); kindOf(err) != apperr.Invalid || e.Fields["phone"] == nil {
			t.Fatalf("phone that is a username: %v", err)
		}
		must(w.svc.UpdateMember(ctx, w.ownerActor, w.member.ID, business.MemberInput{Phone: opt.Of("81999990000"),
			Email: opt.Of("mark@example.com")}))(t)
	})
}

func TestMemberTenancyAndRules(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		other := must(w.svc.Authorize(ctx, w.other, business.NeedOwnerBusiness))(t)
		if _, err := w.svc.Member(ctx, other, w.member.ID); kindOf(err) != apperr.NotFound {
			t.Fatalf("other business reads our member: %v", err)
		}
		if _, err := w.svc.DeactivateMember(ctx, other, w.member.ID); kindOf(err) != apperr.NotFound {
			t.Fatalf("other business deletes our member: %v", err)
		}
		_, err := w.svc.CreateMember(ctx, w.ownerActor, business.MemberInput{Name: opt.Of("S"), Phone: opt.Of("1"),
			Email: opt.Of("s@example.com"), Salary: opt.Of(money.Cents(-1))})
		if e, _ := apperr.As(err); kindOf(err) != apperr.Invalid || e.Fields["salary"] == nil {
			t.Fatalf("negative salary: %v", err)
		}
		ms, total := must2(w.svc.ListMembers(ctx, w.ownerActor, business.Page{Limit: 50}))(t)
		if total != 1 || len(ms) != 1 || ms[0].ID != w.member.ID {
			t.Fatalf("members %v (%d)", ms, total)
		}
		d := must(w.svc.DeactivateMember(ctx, w.ownerActor, w.member.ID))(t)
		if d.IsActive || must(w.db.UserByID(ctx, w.memberUser.ID))(t).IsActive {
			t.Fatal("deactivated member's login still active")
		}
	})
}

func must2[A, B any](a A, b B, err error) func(t *testing.T) (A, B) {
	return func(t *testing.T) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}
