package password

import (
	"strings"
	"unicode"
)

// Django's validators run on Python str semantics, which differ from Go's in places that change
// which passwords pass. These helpers reproduce them so the policy answers as Django does.

// pyLower is Python's str.lower(): Go's simple case mapping plus the two full mappings Python
// also applies, İ → "i̇" (two code points) and a word-final Σ → ς.
func pyLower(s string) string {
	if !strings.ContainsAny(s, "İΣ") {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 1)
	for i, r := range rs {
		switch {
		case r == 'İ':
			b.WriteString("i\u0307")
		case r == 'Σ' && finalSigma(rs, i):
			b.WriteRune('ς')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// finalSigma is Unicode's Final_Sigma condition as CPython tests it: a cased letter before
// rs[i] and none after it, skipping case-ignorable characters both ways.
func finalSigma(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && caseIgnorable(rs[j]) {
		j--
	}
	if j < 0 || !cased(rs[j]) {
		return false
	}
	j = i + 1
	for j < len(rs) && caseIgnorable(rs[j]) {
		j++
	}
	return j == len(rs) || !cased(rs[j])
}

func cased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// caseIgnorable is Unicode's Case_Ignorable: marks, format characters, modifier letters and
// symbols, and the Word_Break MidLetter, MidNumLet and Single_Quote characters.
func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// pyIsDigit is Python's str.isdigit(): non-empty, and every character is a decimal digit (Nd)
// or has Numeric_Type=Digit (superscripts, circled digits and the like).
func pyIsDigit(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && !unicode.Is(numericTypeDigit, r) {
			return false
		}
	}
	return s != ""
}

// numericTypeDigit lists the characters with Numeric_Type=Digit outside category Nd
// (Unicode 14, as in Python 3.11).
var numericTypeDigit = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x00B2, 0x00B3, 1}, {0x00B9, 0x00B9, 1}, {0x1369, 0x1371, 1}, {0x19DA, 0x19DA, 1},
		{0x2070, 0x2070, 1}, {0x2074, 0x2079, 1}, {0x2080, 0x2089, 1}, {0x2460, 0x2468, 1},
		{0x2474, 0x247C, 1}, {0x2488, 0x2490, 1}, {0x24EA, 0x24EA, 1}, {0x24F5, 0x24FD, 1},
		{0x24FF, 0x24FF, 1}, {0x2776, 0x277E, 1}, {0x2780, 0x2788, 1}, {0x278A, 0x2792, 1},
	},
	R32: []unicode.Range32{
		{0x10A40, 0x10A43, 1}, {0x10E60, 0x10E68, 1}, {0x11052, 0x1105A, 1}, {0x1F100, 0x1F10A, 1},
	},
	LatinOffset: 2,
}

// isPySpace is Python's str.isspace(), which Django's strip() uses; it also counts the
// separators U+001C..U+001F that Go's unicode.IsSpace does not.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// pySplitNonWord is Python's re.split(r'\W+', s), including the empty strings it yields when s
// starts or ends with a separator. Python's \w is any Unicode letter or number or "_"; Go
// regexp's is ASCII only.
func pySplitNonWord(s string) []string {
	var parts []string
	start, inSep := 0, false
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_'
		switch {
		case word && inSep:
			start, inSep = i, false
		case !word && !inSep:
			parts, inSep = append(parts, s[start:i]), true
		}
	}
	if inSep {
		return append(parts, "")
	}
	return append(parts, s[start:])
}

// pyQuickRatio is difflib.SequenceMatcher(a=a, b=b).quick_ratio(): twice the size of the
// multiset intersection over the total length, 1 when both are empty.
func pyQuickRatio(a, b []rune) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	avail := make(map[rune]int, len(b))
	for _, r := range b {
		avail[r]++
	}
	matches := 0
	for _, r := range a {
		if avail[r] > 0 {
			matches++
		}
		avail[r]--
	}
	return 2.0 * float64(matches) / float64(len(a)+len(b))
}
