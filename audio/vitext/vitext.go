// Package vitext makes Vietnamese text speakable for a text-to-speech
// engine, the way a commune announcer reads a script aloud: numbers in
// words with the usual rules (mốt, lăm, linh/lẻ, mươi, nghìn, triệu, tỷ),
// dates ("25/11" → "ngày hai mươi lăm tháng mười một"), date ranges, times
// ("6h30" → "sáu giờ ba mươi phút"), hotlines and phone numbers digit by
// digit ("gọi 111" → "gọi một một một"), percentages, money, and the
// programme's abbreviations (UBND, HĐND, MTTQ, BLGĐ, BĐG, LHPN …) as words.
// The output is NFC.
//
// It reads what is unambiguous in campaign scripts; a fraction such as 1/2
// reads as a date, and a bare number as a quantity (a hotline needs a word
// such as "gọi", "tổng đài" or "đường dây nóng" before it, or the shape of
// a phone number).
package vitext

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Speakable reads s in the standard (northern) style.
func Speakable(s string) string { return Reader{}.Speakable(s) }

// Speakable rewrites s for speech; see the package documentation.
func (r Reader) Speakable(s string) string {
	s = norm.NFC.String(s)
	for _, p := range r.passes() {
		s = p(s)
	}
	s = abbreviations(s)
	s = spaces.ReplaceAllString(s, " ")
	return norm.NFC.String(strings.TrimSpace(s))
}

// passes run in order: the most specific shapes first, so that later,
// looser ones (any number) see only what is left.
func (r Reader) passes() []func(string) string {
	return []func(string) string{
		r.hotlines, r.phones, r.dateRanges, r.dates, r.months, r.timeRanges, r.times,
		r.percents, r.money, r.ordinals, r.numberRanges, r.numbers, symbols,
	}
}

var spaces = regexp.MustCompile(`[ \t]+`)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// hotline words: a number after them is read digit by digit.
var hotline = regexp.MustCompile(`(?i)(đường dây nóng|đường dây hỗ trợ|hotline|tổng đài|số điện thoại|điện thoại|sđt|đt|số máy|zalo|gọi(?: ngay)?(?: đến| tới| vào)?(?: số)?)(\s*(?:là|:)?\s*)(\d(?:[ .\-]?\d){2,14})\b`)

func (r Reader) hotlines(s string) string {
	return hotline.ReplaceAllStringFunc(s, func(m string) string {
		g := hotline.FindStringSubmatch(m)
		return g[1] + g[2] + Digits(g[3])
	})
}

// phone shapes: Vietnamese numbers starting with 0 (10–11 digits in
// groups) and 1800/1900 service numbers.
var phone = regexp.MustCompile(`\b(0\d{1,3}(?:[ .\-]?\d{2,4}){2,3}|1[89]00[ .\-]?\d{4}(?:\d{2})?)\b`)

func (r Reader) phones(s string) string {
	return phone.ReplaceAllStringFunc(s, func(m string) string {
		n := 0
		for _, c := range m {
			if c >= '0' && c <= '9' {
				n++
			}
		}
		if m[0] == '0' && (n < 10 || n > 11) {
			return m
		}
		return Digits(m)
	})
}

const dateRE = `(\d{1,2})/(\d{1,2})(?:/(\d{4}))?`

var (
	dateRange = regexp.MustCompile(`(?i)(từ\s+)?(ngày\s+)?\b` + dateRE + `\s*[–—-]\s*(ngày\s+)?` + dateRE + `\b`)
	date      = regexp.MustCompile(`(?i)(ngày\s+)?\b` + dateRE + `\b`)
	dashDate  = regexp.MustCompile(`(?i)(ngày\s+)?\b(\d{1,2})-(\d{1,2})-(\d{4})\b`)
)

// day reads "ngày 25 tháng 11 [năm 2026]", or "" when it is no date.
func (r Reader) day(d, m, y string) string {
	dd, mm := atoi(d), atoi(m)
	if dd < 1 || dd > 31 || mm < 1 || mm > 12 {
		return ""
	}
	w := "ngày "
	if dd <= 10 {
		w += "mùng "
	}
	w += r.Number(int64(dd)) + " tháng " + month(mm)
	if y != "" {
		w += " năm " + r.Number(int64(atoi(y)))
	}
	return w
}

// month reads a month's number: the fourth month is "tư".
func month(m int) string {
	if m == 4 {
		return "tư"
	}
	return Number(int64(m))
}

// keepCase returns w with its first letter upper-case when orig's is.
func keepCase(orig, w string) string {
	if orig == "" || strings.ToLower(orig[:1]) == orig[:1] {
		return w
	}
	rs := []rune(w)
	return strings.ToUpper(string(rs[0])) + string(rs[1:])
}

func (r Reader) dateRanges(s string) string {
	return dateRange.ReplaceAllStringFunc(s, func(m string) string {
		g := dateRange.FindStringSubmatch(m)
		a, b := r.day(g[3], g[4], g[5]), r.day(g[7], g[8], g[9])
		if a == "" || b == "" {
			return m
		}
		return keepCase(g[1]+g[2], "từ "+a+" đến "+b)
	})
}

func (r Reader) dates(s string) string {
	for _, re := range []*regexp.Regexp{date, dashDate} {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			g := re.FindStringSubmatch(m)
			w := r.day(g[2], g[3], g[4])
			if w == "" {
				return m
			}
			return keepCase(g[1], w)
		})
	}
	return s
}

var monthRE = regexp.MustCompile(`(?i)\b(tháng)\s+(\d{1,2})(?:/(\d{4}))?\b`)

func (r Reader) months(s string) string {
	return monthRE.ReplaceAllStringFunc(s, func(m string) string {
		g := monthRE.FindStringSubmatch(m)
		mm := atoi(g[2])
		if mm < 1 || mm > 12 {
			return m
		}
		w := g[1] + " " + month(mm)
		if g[3] != "" {
			w += " năm " + r.Number(int64(atoi(g[3])))
		}
		return w
	})
}

const timeRE = `(\d{1,2})(?::(\d{2})|[hH](\d{2})?)`

var (
	timeRange = regexp.MustCompile(`\b` + timeRE + `\s*[–—-]\s*` + timeRE + `\b`)
	clock     = regexp.MustCompile(`\b` + timeRE + `\b`)
)

// clockTime reads "6:30" or "6h30" as "sáu giờ ba mươi phút", "06:00" as
// "sáu giờ"; "" when it is no time of day.
func (r Reader) clockTime(h, m1, m2 string) string {
	hh, mm := atoi(h), atoi(m1+m2)
	if hh > 24 || mm > 59 {
		return ""
	}
	w := r.Number(int64(hh)) + " giờ"
	if mm > 0 {
		w += " " + r.Number(int64(mm)) + " phút"
	}
	return w
}

func (r Reader) timeRanges(s string) string {
	return timeRange.ReplaceAllStringFunc(s, func(m string) string {
		g := timeRange.FindStringSubmatch(m)
		a, b := r.clockTime(g[1], g[2], g[3]), r.clockTime(g[4], g[5], g[6])
		if a == "" || b == "" {
			return m
		}
		return a + " đến " + b
	})
}

func (r Reader) times(s string) string {
	return clock.ReplaceAllStringFunc(s, func(m string) string {
		g := clock.FindStringSubmatch(m)
		if w := r.clockTime(g[1], g[2], g[3]); w != "" {
			return w
		}
		return m
	})
}
