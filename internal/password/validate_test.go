package password

import (
	"slices"
	"testing"
)

const (
	similarUsername = "The password is too similar to the username."
	similarName     = "The password is too similar to the name."
	similarEmail    = "The password is too similar to the email address."
)

// The expectations were checked against Django 3.2's validators (AUTH_PASSWORD_VALIDATORS
// defaults, user attributes username, name, email).
func TestValidate(t *testing.T) {
	newUser := Attrs{Username: "newuser123", Name: "New User", Email: "newuser123@example.com"}
	joao := Attrs{Username: "jsilva", Name: "João", Email: "joao.silva@example.com"}
	tests := []struct {
		name string
		pw   string
		a    Attrs
		want []string
	}{
		{"fine", "Plenty-of-123-entropy", Attrs{Username: "newuser123"}, nil},
		{"fine with all attributes", "Plenty-of-123-entropy", newUser, nil},
		{"random 20 characters", "k7#Vq9!zR2@mW4$tL8^p", newUser, nil},
		{"long non-ASCII", "日本語のパスワードです", Attrs{}, nil},
		{"short part skipped by length ratio", "a-very-long-passphrase-indeed-x", Attrs{Username: "ab"}, nil},
		{"password as username", "password", Attrs{Username: "password"}, []string{similarUsername, msgCommon}},
		{"equal to username", "newuser123", newUser, []string{similarUsername}},
		{"username in other case", "NEWUSER123", Attrs{Username: "newuser123"}, []string{similarUsername}},
		{"similar to name part", "fernanda1!", Attrs{Username: "mf", Name: "Maria Fernanda Souza", Email: "mf@example.com"}, []string{similarName}},
		{"similar to email part", "example.com", joao, []string{similarEmail}},
		{"first similar attribute only", "silva.joao", joao, []string{similarUsername}},
		{"first similar attribute only, all match", "alice2024", Attrs{Username: "alice", Name: "Alice", Email: "alice@example.com"}, []string{similarUsername}},
		{"final sigma differs", "ΟΔΥΣΣΕΑΣ-2024", Attrs{Username: "οδυσσεασ"}, nil},
		{"final sigma matches", "Οδυσσεας-2024", Attrs{Username: "ΟΔΥΣΣΕΑΣ"}, []string{similarUsername}},
		{"short", "x9#Lq", Attrs{}, []string{msgShort}},
		{"short counts code points", "日本語パス", Attrs{}, []string{msgShort}},
		{"empty", "", Attrs{}, []string{msgShort}},
		{"common", "qwertyuiop", Attrs{}, []string{msgCommon}},
		{"common ignoring case and surrounding space", " QwertyUIOP\t", Attrs{}, []string{msgCommon}},
		{"numeric", "84720193655", Attrs{}, []string{msgNumeric}},
		{"numeric superscripts", "²³¹²³¹²³¹", Attrs{}, []string{msgNumeric}},
		{"common and numeric", "12345678", Attrs{}, []string{msgCommon, msgNumeric}},
		{"short, common and numeric", "1234567", Attrs{}, []string{msgShort, msgCommon, msgNumeric}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Validate(tc.pw, tc.a); !slices.Equal(got, tc.want) {
				t.Errorf("Validate(%q, %+v) = %q; want %q", tc.pw, tc.a, got, tc.want)
			}
		})
	}
}

func TestCommonPasswordsLoaded(t *testing.T) {
	set := commonPasswords()
	if n := len(set); n < 19000 || n > 20000 {
		t.Errorf("common-passwords list has %d entries; want about 20,000", n)
	}
	for _, pw := range []string{"password", "12345678", "qwertyuiop"} {
		if _, ok := set[pw]; !ok {
			t.Errorf("common-passwords list lacks %q", pw)
		}
	}
}

func TestPyLower(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABC", "abc"},
		{"İstanbul", "i\u0307stanbul"},
		{"ΟΔΟΣ", "οδος"},
		{"ΟΔΟΣ-2", "οδος-2"},
		{"ΟΔΟΣ'", "οδος'"},
		{"ΣΑ", "σα"},
		{"Σ", "σ"},
		{"1Σ", "1σ"},
		{"ΑΣ\u0301Β", "ασ\u0301β"},
	}
	for _, tc := range tests {
		if got := pyLower(tc.in); got != tc.want {
			t.Errorf("pyLower(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestPySplitNonWord(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{""}},
		{"joao.silva@example.com", []string{"joao", "silva", "example", "com"}},
		{"@a..b_c.", []string{"", "a", "b_c", ""}},
		{"josé müller", []string{"josé", "müller"}},
	}
	for _, tc := range tests {
		if got := pySplitNonWord(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("pySplitNonWord(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	a := Attrs{Username: "newuser123", Name: "New User", Email: "newuser123@example.com"}
	for b.Loop() {
		Validate("Plenty-of-123-entropy", a)
	}
}
