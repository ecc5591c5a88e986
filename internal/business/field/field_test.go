package field

import (
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

var absent = opt.Opt[string]{}

func msgOf(f apperr.Fields, name string) string {
	if len(f[name]) == 0 {
		return ""
	}
	return f[name][0]
}

func TestRequired(t *testing.T) {
	cases := []struct {
		v     opt.Opt[string]
		m     Mode
		want  string
		apply bool
		msg   string
	}{
		{absent, Create, "", false, "This field is required."},
		{absent, Patch, "", false, ""},
		{opt.Null[string](), Patch, "", false, "This field may not be null."},
		{opt.Of(""), Create, "", false, "This field may not be blank."},
		{opt.Of("ação"), Create, "ação", true, ""},
		{opt.Of("açãoa"), Create, "", false, "Ensure this field has no more than 4 characters."},
	}
	for _, tc := range cases {
		f := apperr.Fields{}
		got, apply := Required(f, "x", tc.v, 4, tc.m)
		if got != tc.want || apply != tc.apply || msgOf(f, "x") != tc.msg {
			t.Errorf("Required(%+v, %d) = %q, %v, %v", tc.v, tc.m, got, apply, f)
		}
	}
}

// TestNullMeansDefault: null on an optional field is its default (conventions S36).
func TestNullMeansDefault(t *testing.T) {
	f := apperr.Fields{}
	if s, ok := Text(f, "ie", opt.Null[string](), 14, Patch); s != "" || !ok {
		t.Errorf("Text null = %q, %v", s, ok)
	}
	if s, ok := Text(f, "ie", absent, 14, Create); s != "" || !ok {
		t.Errorf("Text absent on create = %q, %v", s, ok)
	}
	if _, ok := Text(f, "ie", absent, 14, Patch); ok {
		t.Error("Text absent on patch applies")
	}
	if p, ok := Nullable(f, "alias", opt.Null[string](), 10, Patch); p != nil || !ok {
		t.Errorf("Nullable null = %v, %v", p, ok)
	}
	if b, ok := Bool(opt.Null[bool](), true, Patch); !b || !ok {
		t.Errorf("Bool null = %v, %v", b, ok)
	}
	if b, ok := Bool(opt.Of(false), true, Patch); b || !ok {
		t.Errorf("Bool false = %v, %v", b, ok)
	}
	if len(f) != 0 {
		t.Fatalf("messages %v", f)
	}
}

func TestOtherRules(t *testing.T) {
	f := apperr.Fields{}
	if e, ok := NullableEmail(f, "email", opt.Of("A@B.COM"), Create); !ok || *e != "A@b.com" {
		t.Errorf("email = %v, %v", e, ok)
	}
	if e, ok := NullableEmail(f, "email", opt.Of(""), Create); !ok || e != nil {
		t.Errorf("empty email = %v, %v", e, ok)
	}
	if _, ok := Email(f, "email2", opt.Of("nope"), Create); ok || msgOf(f, "email2") != "Enter a valid email address." {
		t.Errorf("bad email: %v", f)
	}
	if _, ok := Choice(f, "gender", opt.Of("x"), []string{"a"}, Create); ok || msgOf(f, "gender") != `"x" is not a valid choice.` {
		t.Errorf("choice: %v", f)
	}
	if d, ok := Date(f, "d", opt.Of("2024-02-29"), Create); !ok || *d != "2024-02-29" {
		t.Errorf("leap day = %v, %v", d, ok)
	}
	for _, bad := range []string{"2023-02-29", "2024-2-29", "29/02/2024", "2024-02-29T00:00"} {
		g := apperr.Fields{}
		if _, ok := Date(g, "d", opt.Of(bad), Create); ok || !strings.HasPrefix(msgOf(g, "d"), "Date has wrong format.") {
			t.Errorf("Date(%q) accepted: %v", bad, g)
		}
	}
	if _, ok := Money(f, "m", opt.Of(money.Cents(123456789_00)), 8, Create); ok || msgOf(f, "m") == "" {
		t.Errorf("money digits: %v", f)
	}
	if r, ok := Ref(f, "r", opt.Of("01jym6qvgzbstgmecfqv138waa"), Create); !ok || *r != "01JYM6QVGZBSTGMECFQV138WAA" {
		t.Errorf("Ref lower case = %v, %v", r, ok)
	}
	if _, ok := Ref(f, "r2", opt.Of("nope"), Create); ok || msgOf(f, "r2") != `Invalid pk "nope" - object does not exist.` {
		t.Errorf("Ref malformed: %v", f)
	}
	if r, ok := Ref(f, "r3", opt.Of(""), Create); !ok || r != nil {
		t.Errorf("Ref empty = %v, %v", r, ok)
	}
}
