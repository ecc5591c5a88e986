package httpapi

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/money"
)

func bodyOf(t testing.TB, ctype, data string) (*Body, error) {
	s := &Server{cfg: Config{MaxBody: 1 << 16}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := httptest.NewRequest("POST", "/x", strings.NewReader(data))
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	return s.readBody(httptest.NewRecorder(), r)
}

func TestBodyFieldTypes(t *testing.T) {
	b, err := bodyOf(t, "application/json", `{"s":"  hi ","n":12,"ns":"7","f":1.5,"t":"True","z":0,
		"m":"12.50","mn":3,"bad":{"a":1},"nul":null,"pw":"  keep  ","m3":"1.234","big":"12345678901234.00"}`)
	if err != nil {
		t.Fatal(err)
	}
	if v := b.Text("s"); v.V != "hi" {
		t.Errorf("Text trims: %q", v.V)
	}
	if v := b.Password("pw"); v.V != "  keep  " {
		t.Errorf("Password keeps spaces: %q", v.V)
	}
	if v := b.Int("n"); v.V != 12 {
		t.Errorf("Int number: %v", v)
	}
	if v := b.Int("ns"); v.V != 7 {
		t.Errorf("Int string form (S28): %v", v)
	}
	if v := b.Bool("t"); !v.V {
		t.Errorf(`Bool "True": %v`, v)
	}
	if v := b.Bool("z"); !v.Set || v.V {
		t.Errorf("Bool 0: %v", v)
	}
	if v := b.Money("m", 13); v.V != 1250 {
		t.Errorf("Money string: %v", v)
	}
	if v := b.Money("mn", 13); v.V != 300 {
		t.Errorf("Money number: %v", v)
	}
	if v := b.Text("nul"); !v.Null {
		t.Errorf("null: %v", v)
	}
	if v := b.Text("absent"); v.Set {
		t.Errorf("absent: %v", v)
	}
	b.Int("f")
	b.Text("bad")
	b.Money("m3", 13)
	b.Money("big", 13)
	e, _ := apperr.As(b.Err())
	wantFields := map[string]string{
		"f":   "A valid integer is required.",
		"bad": "Not a valid string.",
		"m3":  "Ensure that there are no more than 2 decimal places.",
		"big": "Ensure that there are no more than 13 digits before the decimal point.",
	}
	for f, msg := range wantFields {
		if e == nil || len(e.Fields[f]) != 1 || e.Fields[f][0] != msg {
			t.Errorf("field %s: got %v, want %q", f, e, msg)
		}
	}
}

func TestFormBody(t *testing.T) {
	b, err := bodyOf(t, "application/x-www-form-urlencoded", "username=a+b&type=2&amount=3.10&role=1&role=2")
	if err != nil {
		t.Fatal(err)
	}
	if b.Text("username").V != "a b" || b.Int("type").V != 2 || b.Money("amount", 13).V != 310 || b.Int("role").V != 2 {
		t.Fatalf("form fields misread: %v", b.raw)
	}
}

// FuzzReadBody: any bytes give either a Body or a client error, never a panic or a 500, and
// every amount the decoder accepts is exact (renders back to itself).
func FuzzReadBody(f *testing.F) {
	for _, s := range []string{`{}`, `{"amount":"12.5"}`, `{"amount":1e3}`, `[1,2]`, `{"a":`, `"x"`, `{"amount":-0.01,"type":"1"}`,
		`{"amount":{"x":1}}`, `{"name":"\u0000"}`, `null`, `{"amount":99999999999999999999}`} {
		f.Add("application/json", s)
	}
	f.Add("application/x-www-form-urlencoded", "amount=1.5&type=x")
	f.Add("text/plain", "x")
	f.Fuzz(func(t *testing.T, ctype, data string) {
		b, err := bodyOf(t, ctype, data)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Kind == apperr.Internal {
				t.Fatalf("%q %q: non-client error %v", ctype, data, err)
			}
			return
		}
		for _, k := range b.Unknown() {
			b.Text(k)
			b.Int(k)
			b.Bool(k)
			if m := b.Money(k, 13); m.Has() {
				if back, err := money.Parse(m.V.String()); err != nil || back != m.V {
					t.Fatalf("amount %q → %s → %v, %v", data, m.V, back, err)
				}
			}
		}
		if err := b.Err(); err != nil && !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("type errors must be Invalid: %v", err)
		}
	})
}
