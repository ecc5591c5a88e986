package business_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/opt"
)

func kindOf(err error) apperr.Kind {
	e, ok := apperr.As(err)
	if !ok {
		return 255
	}
	return e.Kind
}

func TestAuthorize(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		inactive := must(w.svc.CreateMember(ctx, w.ownerActor, business.MemberInput{Name: opt.Of("Ina"),
			Phone: opt.Of("81900000001"), Email: opt.Of("ina@example.com"), HasAccess: opt.Of(true), Password: opt.Of(pw)}))(t)
		inactiveUser := must(w.db.UserByID(ctx, *inactive.CredentialID))(t)
		must(w.svc.DeactivateMember(ctx, w.ownerActor, inactive.ID))(t)

		cases := []struct {
			name string
			u    *auth.User
			need business.Need
			kind apperr.Kind // 255: allowed
			msg  string
		}{
			{"owner/owner", w.owner, business.NeedOwner, 255, ""},
			{"owner/owner business", w.owner, business.NeedOwnerBusiness, 255, ""},
			{"owner/staff", w.owner, business.NeedStaff, 255, ""},
			{"idle owner/owner", w.idle, business.NeedOwner, 255, ""},
			{"idle owner/owner business", w.idle, business.NeedOwnerBusiness, apperr.NotFound, business.MsgNoBusiness},
			{"idle owner/staff", w.idle, business.NeedStaff, apperr.NotFound, business.MsgNoBusiness},
			{"member/staff", w.memberUser, business.NeedStaff, 255, ""},
			{"member/owner", w.memberUser, business.NeedOwner, apperr.Forbidden, apperr.MsgForbidden},
			{"member/owner business", w.memberUser, business.NeedOwnerBusiness, apperr.Forbidden, apperr.MsgForbidden},
			{"plain user/staff (defect 27)", w.plain, business.NeedStaff, apperr.Forbidden, apperr.MsgForbidden},
			{"plain user/owner", w.plain, business.NeedOwner, apperr.Forbidden, apperr.MsgForbidden},
			{"deactivated member/staff", inactiveUser, business.NeedStaff, apperr.Forbidden, apperr.MsgForbidden},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				a, err := w.svc.Authorize(ctx, tc.u, tc.need)
				if tc.kind == 255 {
					if err != nil || a.UserID != tc.u.ID {
						t.Fatalf("got %v, %v; want allowed", a, err)
					}
					return
				}
				if e, _ := apperr.As(err); kindOf(err) != tc.kind || e.Message != tc.msg {
					t.Fatalf("got %v; want kind %d %q", err, tc.kind, tc.msg)
				}
			})
		}
		if !w.ownerActor.Owner || w.ownerActor.BusinessID != w.biz.ID || w.ownerActor.Location.String() != "America/Recife" {
			t.Fatalf("owner actor %+v", w.ownerActor)
		}
		if w.mbrActor.Owner || w.mbrActor.BusinessID != w.biz.ID || w.mbrActor.Location.String() != "America/Recife" {
			t.Fatalf("member actor %+v", w.mbrActor)
		}
	})
}

func TestSignUpMakesStaffOwner(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		if !w.owner.IsStaff || !w.owner.IsActive || w.owner.PasswordHash == pw {
			t.Fatalf("signed-up user %+v", w.owner)
		}
		o := must(w.db.OwnerByUser(ctx, w.idle.ID, false))(t)
		if o.BusinessID != nil || o.Name != nil || o.Email != nil || o.Phone != nil {
			t.Fatalf("new owner record %+v; want empty, without business", o)
		}
		_, err := w.svc.SignUp(ctx, auth.SignUpInput{Name: opt.Of("x"), Email: opt.Of("OLIVIA@example.com"), Password: opt.Of(pw)})
		if e, _ := apperr.As(err); kindOf(err) != apperr.Invalid || e.Fields["email"] == nil {
			t.Fatalf("duplicate e-mail: %v", err)
		}
	})
}

func TestCreateBusiness(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		_, err := w.svc.CreateBusiness(ctx, w.owner, bizInput("33333333000133", ""))
		if e, _ := apperr.As(err); kindOf(err) != apperr.Invalid || e.Message != business.MsgHasBusiness {
			t.Fatalf("second business: %v", err)
		}
		if _, err := w.svc.CreateBusiness(ctx, w.memberUser, bizInput("33333333000133", "")); kindOf(err) != apperr.Forbidden {
			t.Fatalf("member creating a business: %v", err)
		}
		_, err = w.svc.CreateBusiness(ctx, w.idle, bizInput("11111111000111", ""))
		if e, _ := apperr.As(err); kindOf(err) != apperr.Invalid || e.Fields["cnpj"] == nil {
			t.Fatalf("taken cnpj: %v", err)
		}
		_, err = w.svc.CreateBusiness(ctx, w.idle, business.BusinessInput{LegalName: opt.Of("x"), TradeName: opt.Of("x"),
			CNPJ: opt.Of("4"), Timezone: opt.Of("Nowhere/Special")})
		if e, _ := apperr.As(err); kindOf(err) != apperr.Invalid || e.Fields["timezone"][0] != business.MsgBadZone {
			t.Fatalf("bad zone: %v", err)
		}
		if w.otherBiz.Timezone != "UTC" || w.biz.Timezone != "America/Recife" {
			t.Fatalf("zones %q, %q; want the server's by default", w.otherBiz.Timezone, w.biz.Timezone)
		}
		// A /register/ user becomes a staff owner (S11).
		b := must(w.svc.CreateBusiness(ctx, w.plain, bizInput("44444444000144", "")))(t)
		u := must(w.db.UserByID(ctx, w.plain.ID))(t)
		o := must(w.db.OwnerByUser(ctx, w.plain.ID, false))(t)
		if !u.IsStaff || o.BusinessID == nil || *o.BusinessID != b.ID {
			t.Fatalf("after creating a business: user %+v owner %+v", u, o)
		}
	})
}

// TestCreateBusinessConcurrently: one owner racing to create two businesses gets exactly one.
func TestCreateBusinessConcurrently(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = w.svc.CreateBusiness(ctx, w.idle, bizInput("5555555500"+string(rune('a'+i)), ""))
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if e, _ := apperr.As(err); e == nil || e.Message != business.MsgHasBusiness {
				t.Errorf("losing attempt: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d businesses created, want 1 (%v)", ok, errors.Join(errs...))
		}
	})
}

func TestOwnerProfile(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		idle := must(w.svc.Authorize(ctx, w.idle, business.NeedOwner))(t)
		o := must(w.svc.UpdateOwner(ctx, idle, business.OwnerInput{Name: opt.Of("Ivan"), Email: opt.Of("i@Example.COM")}))(t)
		if *o.Name != "Ivan" || *o.Email != "i@example.com" || o.Phone != nil {
			t.Fatalf("owner %+v", o)
		}
		o = must(w.svc.UpdateOwner(ctx, idle, business.OwnerInput{Name: opt.Null[string]()}))(t)
		if o.Name != nil || *o.Email != "i@example.com" {
			t.Fatalf("owner after name null %+v", o)
		}
		if _, err := w.svc.CloseAccount(ctx, w.mbrActor, w.memberUser); kindOf(err) != apperr.Forbidden {
			t.Fatalf("member closing the account: %v", err)
		}
		u := must(w.svc.CloseAccount(ctx, idle, w.idle))(t)
		if u.IsActive || must(w.db.UserByID(ctx, w.idle.ID))(t).IsActive {
			t.Fatal("closed account still active")
		}
	})
}
