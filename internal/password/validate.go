package password

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// Attrs are the user's personal data a password must not resemble.
type Attrs struct {
	Username, Name, Email string
}

// Django's messages (conventions S12); clients compare them verbatim. The similarity message is
// "The password is too similar to the <attribute>.".
const (
	msgShort   = "This password is too short. It must contain at least 8 characters."
	msgCommon  = "This password is too common."
	msgNumeric = "This password is entirely numeric."

	minLength     = 8
	maxSimilarity = 0.7
)

// Validate applies the password policy of conventions S12 as Django's default validators do and
// returns their messages in Django's order (similarity, length, common, numeric), or nil. The
// password is checked as given, never trimmed.
func Validate(pw string, a Attrs) []string {
	var msgs []string
	if name := similarAttr(pw, a); name != "" {
		msgs = append(msgs, "The password is too similar to the "+name+".")
	}
	if utf8.RuneCountInString(pw) < minLength {
		msgs = append(msgs, msgShort)
	}
	if _, ok := commonPasswords()[strings.TrimFunc(pyLower(pw), isPySpace)]; ok {
		msgs = append(msgs, msgCommon)
	}
	if pyIsDigit(pw) {
		msgs = append(msgs, msgNumeric)
	}
	return msgs
}

// similarAttr returns the name of the first attribute pw is too similar to, or "". Like Django's
// UserAttributeSimilarityValidator it stops at the first match, so at most one is reported.
func similarAttr(pw string, a Attrs) string {
	pw = pyLower(pw)
	pwRunes := []rune(pw)
	for _, attr := range []struct{ name, value string }{
		{"username", a.Username}, {"name", a.Name}, {"email address", a.Email},
	} {
		if attr.value == "" {
			continue
		}
		value := pyLower(attr.value)
		for _, part := range append(pySplitNonWord(value), value) {
			partRunes := []rune(part)
			if exceedsMaxLengthRatio(len(pwRunes), len(partRunes)) {
				continue
			}
			if pyQuickRatio(pwRunes, partRunes) >= maxSimilarity {
				return attr.name
			}
		}
	}
	return ""
}

// exceedsMaxLengthRatio is Django's shortcut: a part at most a tenth as long as the password
// cannot reach maxSimilarity, so it is skipped.
func exceedsMaxLengthRatio(pwLen, valueLen int) bool {
	return pwLen >= 10*valueLen && float64(valueLen) < maxSimilarity/2*float64(pwLen)
}

// Django's list of the 20,000 most common passwords, lower-cased (django/contrib/auth, BSD licence).
//
//go:embed common-passwords.txt.gz
var commonGz []byte

// commonPasswords decompresses the list on first use; a server that never validates a
// password never pays for it.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(commonGz))
	if err != nil {
		panic("password: embedded common-passwords list: " + err.Error())
	}
	set := make(map[string]struct{}, 20000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		set[strings.TrimFunc(sc.Text(), isPySpace)] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		panic("password: embedded common-passwords list: " + err.Error())
	}
	return set
})
