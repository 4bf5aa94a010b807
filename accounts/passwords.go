package accounts

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/lantoa/lantoa/apperr"
)

//go:generate sh -c "go run ./internal/gencommon > common-passwords.txt"

//go:embed common-passwords.txt
var commonPasswordsFile string

// commonPasswords is the set of common-passwords.txt, read once.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
})

// MinPasswordLength is the shortest password accepted (SPEC §6.1).
const MinPasswordLength = 10

// CheckPassword refuses a password that is too short or too long for
// bcrypt, one of the common passwords people choose (common-passwords.txt:
// the list itself, or one of its words with digits or symbols around it,
// "dragon2026!" as much as "dragon"), one made of a single repeated
// character, or one that contains the username. The error names field.
func CheckPassword(field, password, username string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return apperr.Invalid(field, "must be at least %d characters", MinPasswordLength)
	case len(password) > 72:
		return apperr.Invalid(field, "must be at most 72 bytes")
	case !utf8.ValidString(password) || strings.ContainsFunc(password, unicode.IsControl):
		return apperr.Invalid(field, "must be text without control characters")
	}
	lower := strings.ToLower(password)
	if common(lower) {
		return apperr.Invalid(field, "is one of the passwords people use most often and is easily guessed; choose another (a few unrelated words work well)")
	}
	if first, _ := utf8.DecodeRuneInString(lower); strings.Trim(lower, string(first)) == "" {
		return apperr.Invalid(field, "must not be one character repeated")
	}
	if u := strings.ToLower(strings.TrimSpace(username)); len(u) >= 3 && strings.Contains(lower, u) {
		return apperr.Invalid(field, "must not contain the username")
	}
	return nil
}

// common reports whether lower (a lowercased password) is on the list,
// alone or wrapped in digits and symbols.
func common(lower string) bool {
	set := commonPasswords()
	if set[lower] {
		return true
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if core != lower && len(core) >= 4 && set[core] {
		return true
	}
	// The same with a digit-only core ("00123456789!"): digits wrapped in symbols.
	digits := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsDigit(r) && !unicode.IsLetter(r) })
	return digits != lower && set[digits]
}
