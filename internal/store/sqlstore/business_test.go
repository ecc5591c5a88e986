package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// bizFixture is two businesses, each with its owner, and a member login of the first.
type bizFixture struct {
	db                 *sqlstore.DB
	ownerA, ownerB     *auth.User
	memberUser         *auth.User
	bizA, bizB         *business.Business
	ownerRecA, ownerRB *business.Owner
}

func bizOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func bizUser(t *testing.T, db *sqlstore.DB, name string) *auth.User {
	t.Helper()
	u := &auth.User{ID: id.New(), Username: &name, Email: name + "@example.com", Name: "User " + name, PasswordHash: "!", IsActive: true,
		IsStaff: true, CreatedAt: time.Now()}
	bizOK(t, db.CreateUser(context.Background(), u))
	return u
}

func newBizFixture(t *testing.T, db *sqlstore.DB) *bizFixture {
	t.Helper()
	ctx := context.Background()
	f := &bizFixture{db: db, ownerA: bizUser(t, db, "alice"), ownerB: bizUser(t, db, "bob"), memberUser: bizUser(t, db, "mark")}
	now := time.Now()
	for i, o := range []*auth.User{f.ownerA, f.ownerB} {
		b := &business.Business{ID: id.New(), LegalName: o.Name, TradeName: "t", CNPJ: string(rune('1' + i)), IsActive: true,
			Timezone: "UTC", CreatedAt: now}
		bizOK(t, db.CreateBusiness(ctx, b))
		rec := &business.Owner{ID: id.New(), UserID: o.ID, BusinessID: &b.ID, CreatedAt: now}
		bizOK(t, db.CreateOwner(ctx, rec))
		if i == 0 {
			f.bizA, f.ownerRecA = b, rec
		} else {
			f.bizB, f.ownerRB = b, rec
		}
	}
	bizOK(t, db.CreateMember(ctx, &business.Member{ID: id.New(), BusinessID: f.bizA.ID, CredentialID: &f.memberUser.ID,
		Name: "Mark", Phone: "1", Email: "m@example.com", HasAccess: true, IsActive: true, CreatedAt: now}))
	return f
}

func TestUserAccessStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		a, err := db.UserAccess(ctx, f.ownerA.ID)
		if err != nil || !a.Owner || a.OwnerID != f.ownerRecA.ID || *a.BusinessID != f.bizA.ID || a.Timezone != "UTC" {
			t.Fatalf("owner access %+v, %v", a, err)
		}
		a, err = db.UserAccess(ctx, f.memberUser.ID)
		if err != nil || a.Owner || a.MemberID == "" || *a.BusinessID != f.bizA.ID {
			t.Fatalf("member access %+v, %v", a, err)
		}
		// An owner who is also (oddly) a member is an owner first.
		bizOK(t, db.CreateMember(ctx, &business.Member{ID: id.New(), BusinessID: f.bizB.ID, CredentialID: &f.ownerA.ID,
			Name: "A", Phone: "2", Email: "a@example.com", HasAccess: true, IsActive: true, CreatedAt: time.Now()}))
		if a, err := db.UserAccess(ctx, f.ownerA.ID); err != nil || !a.Owner {
			t.Fatalf("owner and member: %+v, %v", a, err)
		}
		if _, err := db.UserAccess(ctx, bizUser(t, db, "nobody").ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("nobody: %v", err)
		}

		// Access is cached (sessioncache.go), and every write that changes it is seen by the
		// next UserAccess at once: a member's access withdrawn, a business deactivated.
		member, _, err := db.ListMembers(ctx, f.bizA.ID, business.Page{Limit: 50})
		bizOK(t, err)
		if a, err := db.UserAccess(ctx, f.memberUser.ID); err != nil || a.Owner { // cached from here
			t.Fatalf("member access %+v, %v", a, err)
		}
		for _, m := range member {
			if m.CredentialID != nil && *m.CredentialID == f.memberUser.ID {
				m.HasAccess = false
				bizOK(t, db.UpdateMember(ctx, &m))
			}
		}
		if a, err := db.UserAccess(ctx, f.memberUser.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("a member whose access was withdrawn: %+v, %v; want NotFound", a, err)
		}
		if a, err := db.UserAccess(ctx, f.ownerB.ID); err != nil || a.BusinessInactive {
			t.Fatalf("owner B: %+v, %v", a, err)
		}
		off := *f.bizB
		off.IsActive = false
		bizOK(t, db.UpdateBusiness(ctx, &off))
		if a, err := db.UserAccess(ctx, f.ownerB.ID); err != nil || !a.BusinessInactive {
			t.Fatalf("owner of a deactivated business: %+v, %v; want BusinessInactive", a, err)
		}
	})
}

func TestBusinessTenancyStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		code := "X1"
		c := &business.Contact{ID: id.New(), BusinessID: f.bizA.ID, Kind: business.CustomerKind, Code: &code, Name: "Ana",
			IsActive: true, AmountSpent: money.Cents(5), CreatedAt: time.Now(), UpdatedAt: time.Now()}
		bizOK(t, db.CreateContact(ctx, c))
		if _, err := db.Contact(ctx, f.bizB.ID, business.CustomerKind, c.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("contact through another business: %v", err)
		}
		if _, err := db.Contact(ctx, f.bizA.ID, business.SupplierKind, c.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("customer as supplier: %v", err)
		}
		got, err := db.Contact(ctx, f.bizA.ID, business.CustomerKind, c.ID)
		if err != nil || got.Name != "Ana" || *got.Code != "X1" || got.AmountSpent != 5 {
			t.Fatalf("contact %+v, %v", got, err)
		}
		// Unique per business, translated to the field (conventions S1, defect 23).
		dup := *c
		dup.ID = id.New()
		err = db.CreateContact(ctx, &dup)
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || e.Fields["code"] == nil {
			t.Fatalf("duplicate code: %v", err)
		}
		dup.BusinessID = f.bizB.ID
		bizOK(t, db.CreateContact(ctx, &dup))
		// A stale update through another business changes nothing.
		c.BusinessID, c.Name = f.bizB.ID, "Hacked"
		bizOK(t, db.UpdateContact(ctx, c))
		if got, _ := db.Contact(ctx, f.bizA.ID, business.CustomerKind, c.ID); got.Name != "Ana" {
			t.Fatalf("update through another business wrote: %+v", got)
		}
		ms, total, err := db.ListMembers(ctx, f.bizB.ID, business.Page{Limit: 50})
		if err != nil || total != 0 || len(ms) != 0 {
			t.Fatalf("members of B: %v %d %v", ms, total, err)
		}
	})
}

func TestListContactsStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		add := func(biz string, k business.Kind, name string) string {
			c := &business.Contact{ID: id.New(), BusinessID: biz, Kind: k, Name: name, IsActive: true,
				CreatedAt: time.Now(), UpdatedAt: time.Now()}
			bizOK(t, db.CreateContact(ctx, c))
			return c.ID
		}
		s1 := add(f.bizA.ID, business.SupplierKind, "Sup 50%")
		c1 := add(f.bizA.ID, business.CustomerKind, "Cus_tomer")
		c2 := add(f.bizA.ID, business.CustomerKind, "Another")
		add(f.bizB.ID, business.CustomerKind, "Cus_tomer")
		ids := func(k business.Kind, term string, p business.Page) ([]string, int) {
			t.Helper()
			cs, total, err := db.ListContacts(ctx, f.bizA.ID, k, term, p)
			bizOK(t, err)
			var out []string
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out, total
		}
		if got, n := ids(0, "", business.Page{Limit: 50}); n != 3 || len(got) != 3 || got[0] != c1 || got[1] != c2 || got[2] != s1 {
			t.Fatalf("combined list %v (%d); want customers then suppliers", got, n)
		}
		if got, n := ids(0, "", business.Page{Limit: 1, Offset: 2}); n != 3 || len(got) != 1 || got[0] != s1 {
			t.Fatalf("last page %v (%d)", got, n)
		}
		if got, _ := ids(business.SupplierKind, "", business.Page{Limit: 50}); len(got) != 1 || got[0] != s1 {
			t.Fatalf("suppliers %v", got)
		}
		// LIKE wildcards in the term are literal.
		for term, n := range map[string]int{"50%": 1, "su_": 0, "s_to": 1, "%": 1, "_": 1, "cus": 1, "zzz": 0} {
			if got, total := ids(0, term, business.Page{Limit: 50}); len(got) != n || total != n {
				t.Errorf("search %q: %v (%d), want %d", term, got, total, n)
			}
		}
	})
}
