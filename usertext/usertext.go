// Package usertext is the one rule for text a user can store (issue 13):
// every title, body, name, village, reason or label passes through Line or
// Block at the domain edge before it reaches the store, and every user text
// that becomes a BSON field name goes through Key.
//
// The rule: valid UTF-8; Unicode NFC; CR LF and lone CR become LF (U+2028
// and U+2029 too); no NUL, no other C0 or C1 control character and no DEL
// except line breaks and tabs; no Unicode noncharacter (U+FFFE, U+FFFF …,
// which XML and iCalendar cannot carry); at most a given number of
// characters. A violation is an *apperr.ValidationError naming the field,
// so the API answers 400 and nothing is stored.
package usertext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/apperr"
)

// Common caps, in characters (runes after NFC). Fields with a cap of their
// own say so where they are validated.
const (
	// NameMax bounds names and one-line labels: people, stations, villages,
	// communes, units.
	NameMax = 120
	// TitleMax bounds titles of campaigns and items.
	TitleMax = 200
	// ReasonMax bounds a reason given for a rejection, skip or correction.
	ReasonMax = 1000
	// BodyMax bounds the body of an item (a script, a post).
	BodyMax = 10000
)

// Line cleans a one-line text (a title, a name, a village): the rule
// above, no line break (a 400: a one-line input never sends one, so one
// means the text is not what the field holds), and every run of white
// space (tabs included) becomes one space; the ends are trimmed. An empty
// result is allowed; callers that require a value check for "".
func Line(field, s string, max int) (string, error) {
	t, err := clean(field, s)
	if err != nil {
		return "", err
	}
	if strings.Contains(strings.TrimSpace(t), "\n") {
		return "", apperr.Invalid(field, "must be one line of text")
	}
	t = strings.Join(strings.FieldsFunc(t, unicode.IsSpace), " ")
	return t, capped(field, t, max)
}

// Block cleans a multi-line text: the rule above, trailing spaces of each
// line removed and the whole trimmed; line breaks and tabs stay.
func Block(field, s string, max int) (string, error) {
	t, err := clean(field, s)
	if err != nil {
		return "", err
	}
	lines := strings.Split(t, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	t = strings.TrimSpace(strings.Join(lines, "\n"))
	return t, capped(field, t, max)
}

// Required is Line or Block's companion: an apperr.ValidationError when t
// is empty.
func Required(field, t string) error {
	if t == "" {
		return apperr.Invalid(field, "is required")
	}
	return nil
}

func capped(field, t string, max int) error {
	if max > 0 && utf8.RuneCountInString(t) > max {
		return apperr.Invalid(field, "must be at most %d characters", max)
	}
	return nil
}

// clean checks the encoding and the characters, normalises line breaks and
// returns the text in NFC.
func clean(field, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", apperr.Invalid(field, "is not valid UTF-8 text")
	}
	if r, bad := firstForbidden(s); bad {
		return "", apperr.Invalid(field, "contains a control character (%U) that text may not hold", r)
	}
	if strings.ContainsAny(s, "\r\u2028\u2029") {
		s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n").Replace(s)
	}
	return norm.NFC.String(s), nil
}

// firstForbidden returns the first character the rule refuses.
func firstForbidden(s string) (rune, bool) {
	for _, r := range s {
		if Forbidden(r) {
			return r, true
		}
	}
	return 0, false
}

// Forbidden reports whether r may not appear in stored text: C0 controls
// other than tab, LF and CR, DEL, C1 controls, and noncharacters.
func Forbidden(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		return true
	case r >= 0xfdd0 && r <= 0xfdef:
		return true
	case r&0xfffe == 0xfffe: // U+FFFE, U+FFFF and the last two of every plane
		return true
	}
	return false
}

// Strip removes what Forbidden refuses (and invalid UTF-8) from text
// that is written out (iCalendar, XML, CSV), for text stored before the
// rule existed: output never carries a control character.
func Strip(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, Forbidden) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || Forbidden(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}
