package campaigns

import (
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// CompareVietnamese orders names the way Vietnamese readers expect (Đ after
// D, tones after the base letter), which byte order does not.
func CompareVietnamese(a, b string) int {
	return collate.New(language.Vietnamese).CompareString(a, b)
}
