package business_test

import (
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/opt"
)

func TestContacts(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		c := must(w.svc.CreateContact(ctx, w.mbrActor, business.CustomerKind, business.ContactInput{Name: opt.Of("Ana"),
			CPF: opt.Of("123"), Gender: opt.Of("female")}))(t)
		s := must(w.svc.CreateContact(ctx, w.ownerActor, business.SupplierKind, business.ContactInput{Name: opt.Of("Distribuidora"),
			Alias: opt.Of("Dist"), CNPJ: opt.Of("123")}))(t)
		if c.Kind != business.CustomerKind || s.Kind != business.SupplierKind || !c.IsActive {
			t.Fatalf("contacts %+v %+v", c, s)
		}
		if _, err := w.svc.Contact(ctx, w.ownerActor, business.SupplierKind, c.ID); kindOf(err) != apperr.NotFound {
			t.Fatalf("customer read as supplier: %v", err)
		}
		other := must(w.svc.Authorize(ctx, w.other, business.NeedStaff))(t)
		if _, err := w.svc.Contact(ctx, other, business.CustomerKind, c.ID); kindOf(err) != apperr.NotFound {
			t.Fatalf("other business reads our customer: %v", err)
		}
		if e, _ := apperr.As(func() error {
			_, err := w.svc.UpdateContact(ctx, other, business.CustomerKind, c.ID, business.ContactInput{})
			return err
		}()); e == nil || e.Message != business.MsgCustomerNotFound {
			t.Fatalf("other business patches our customer: %v", e)
		}

		w.clock.Add(48 * time.Hour)
		u := must(w.svc.UpdateContact(ctx, w.ownerActor, business.CustomerKind, c.ID, business.ContactInput{Alias: opt.Of("Aninha")}))(t)
		if !u.UpdatedAt.After(c.UpdatedAt) || u.CreatedAt != c.CreatedAt || *u.Alias != "Aninha" || u.Name != "Ana" {
			t.Fatalf("updated contact %+v", u)
		}
		_, err := w.svc.UpdateContact(ctx, w.ownerActor, business.CustomerKind, c.ID, business.ContactInput{Gender: opt.Of("x")})
		if e, _ := apperr.As(err); kindOf(err) != apperr.Invalid || e.Fields["gender"][0] != `"x" is not a valid choice.` {
			t.Fatalf("bad gender: %v", err)
		}
		// Unique per business (defect 23).
		_, err = w.svc.CreateContact(ctx, w.ownerActor, business.CustomerKind, business.ContactInput{Name: opt.Of("B"), CPF: opt.Of("123")})
		if e, _ := apperr.As(err); kindOf(err) != apperr.Invalid || e.Fields["cpf"] == nil {
			t.Fatalf("duplicate cpf: %v", err)
		}
		must(w.svc.CreateContact(ctx, other, business.CustomerKind, business.ContactInput{Name: opt.Of("B"), CPF: opt.Of("123")}))(t)

		list, total := must2(w.svc.ListContacts(ctx, w.ownerActor, 0, opt.Opt[string]{}, business.Page{Limit: 50}))(t)
		if total != 2 || list[0].ID != c.ID || list[1].ID != s.ID {
			t.Fatalf("contacts %v", list)
		}
		found, _ := must2(w.svc.ListContacts(ctx, w.ownerActor, 0, opt.Of("DIST"), business.Page{Limit: 50}))(t)
		if len(found) != 1 || found[0].ID != s.ID {
			t.Fatalf("search DIST found %v", found)
		}
		d := must(w.svc.DeactivateContact(ctx, w.mbrActor, business.SupplierKind, s.ID))(t)
		if d.IsActive {
			t.Fatal("supplier still active")
		}
	})
}

func TestSearchTerm(t *testing.T) {
	cases := []struct {
		in   opt.Opt[string]
		want string
		msg  string
	}{
		{opt.Opt[string]{}, "", ""},
		{opt.Of(""), "", business.MsgSearchMissing},
		{opt.Of("   "), "", business.MsgSearchMissing},
		{opt.Of("ab"), "", business.MsgSearchShort},
		{opt.Of("ção"), "ção", ""},
		{opt.Of(" abc "), "abc", ""},
		{opt.Of("a\nbc"), "abc", ""},
	}
	for _, tc := range cases {
		got, err := business.SearchTerm(tc.in)
		e, _ := apperr.As(err)
		if got != tc.want || (tc.msg == "") != (err == nil) || (e != nil && e.Message != tc.msg) {
			t.Errorf("SearchTerm(%+v) = %q, %v; want %q, %q", tc.in, got, err, tc.want, tc.msg)
		}
	}
}

func TestContactSearchKey(t *testing.T) {
	code, alias, cpf := "C-1", "Zé", "123"
	c := business.Contact{Kind: business.CustomerKind, Code: &code, Name: "JOÃO", Alias: &alias, CPF: &cpf}
	if got, want := c.SearchKey(), "c-1\njoão\nzé\n123\n"; got != want {
		t.Fatalf("SearchKey = %q, want %q", got, want)
	}
}

func TestDateFilter(t *testing.T) {
	recife, err := time.LoadLocation("America/Recife")
	if err != nil {
		t.Fatal(err)
	}
	// Wednesday 2025-06-25 01:30 UTC is Tuesday 2025-06-24 22:30 in Recife (defect 30).
	now := time.Date(2025, 6, 25, 1, 30, 0, 0, time.UTC)
	day := func(d int) time.Time { return time.Date(2025, 6, d, 0, 0, 0, 0, recife) }
	cases := []struct {
		name             string
		date, start, end opt.Opt[string]
		want             *business.Span
		msg              string
	}{
		{"none", opt.Opt[string]{}, opt.Opt[string]{}, opt.Opt[string]{}, nil, ""},
		{"today", opt.Of("today"), opt.Opt[string]{}, opt.Opt[string]{}, &business.Span{day(24), day(25)}, ""},
		{"week is Sunday to Saturday", opt.Of("week"), opt.Opt[string]{}, opt.Opt[string]{}, &business.Span{day(22), day(29)}, ""},
		{"month", opt.Of("month"), opt.Opt[string]{}, opt.Opt[string]{}, &business.Span{day(1), time.Date(2025, 7, 1, 0, 0, 0, 0, recife)}, ""},
		{"a day", opt.Of("2025-06-10"), opt.Opt[string]{}, opt.Opt[string]{}, &business.Span{day(10), day(11)}, ""},
		{"range inclusive", opt.Opt[string]{}, opt.Of("2025-06-01"), opt.Of("2025-06-03"), &business.Span{day(1), day(4)}, ""},
		{"start alone is ignored", opt.Opt[string]{}, opt.Of("2025-06-01"), opt.Opt[string]{}, nil, ""},
		{"end alone is ignored, even malformed", opt.Opt[string]{}, opt.Opt[string]{}, opt.Of("x"), nil, ""},
		{"bad date", opt.Of("2025-6-1"), opt.Opt[string]{}, opt.Opt[string]{}, nil, business.MsgDateFormat},
		{"impossible date", opt.Of("2025-02-30"), opt.Opt[string]{}, opt.Opt[string]{}, nil, business.MsgDateFormat},
		{"bad range", opt.Opt[string]{}, opt.Of("2025-06-01"), opt.Of("06/03/2025"), nil, business.MsgDateFormat},
		{"both", opt.Of("today"), opt.Of("2025-06-01"), opt.Opt[string]{}, nil, business.MsgDateBoth},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := business.DateFilter(recife, now, tc.date, tc.start, tc.end)
			if tc.msg != "" {
				if e, _ := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Message != tc.msg {
					t.Fatalf("got %v, %v; want %q", got, err, tc.msg)
				}
				return
			}
			if err != nil || (got == nil) != (tc.want == nil) || (got != nil && (!got.From.Equal(tc.want.From) || !got.To.Equal(tc.want.To))) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
