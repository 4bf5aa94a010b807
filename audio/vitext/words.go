package vitext

import (
	"regexp"
	"strings"
	"unicode"
)

const numRE = `\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?`

var (
	percent     = regexp.MustCompile(`(` + numRE + `)\s?%`)
	money       = regexp.MustCompile(`(` + numRE + `)\s?(?:đồng|VNĐ|VND|đ)(\pL?)`)
	ordinal     = regexp.MustCompile(`(?i)\b(thứ)\s+(\d{1,2})\b`)
	numberRange = regexp.MustCompile(`\b(` + numRE + `)\s*[–—-]\s*(` + numRE + `)\b`)
	number      = regexp.MustCompile(`\b(?:` + numRE + `|\d+\.\d{1,2})\b`)
)

// decimal reads "1.500.000" as a number, "2,5" (and "2.5") as "hai phẩy
// năm", a number of 16 digits or more, or one with a leading zero and
// three digits or more, digit by digit.
func (r Reader) decimal(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ",")
	if !hasFrac && !thousands.MatchString(intPart) {
		intPart, frac, hasFrac = strings.Cut(s, ".")
	}
	intPart = strings.ReplaceAll(intPart, ".", "")
	if len(intPart) > 15 || (len(intPart) >= 3 && intPart[0] == '0') {
		return Digits(s)
	}
	w := r.Number(int64(atoi(intPart)))
	if hasFrac {
		if frac[0] == '0' || len(frac) > 15 {
			w += " phẩy " + strings.ReplaceAll(Digits(frac), ",", "")
		} else {
			w += " phẩy " + r.Number(int64(atoi(frac)))
		}
	}
	return w
}

var thousands = regexp.MustCompile(`^\d{1,3}(?:\.\d{3})+$`)

func (r Reader) percents(s string) string {
	return percent.ReplaceAllStringFunc(s, func(m string) string {
		return r.decimal(percent.FindStringSubmatch(m)[1]) + " phần trăm"
	})
}

func (r Reader) money(s string) string {
	return money.ReplaceAllStringFunc(s, func(m string) string {
		g := money.FindStringSubmatch(m)
		if g[2] != "" { // "5 đêm": a word, not a currency
			return m
		}
		return r.decimal(g[1]) + " đồng"
	})
}

// ordinals reads "thứ 4" as "thứ tư" and "thứ 1" as "thứ nhất", as for the
// days of the week and ranks.
func (r Reader) ordinals(s string) string {
	return ordinal.ReplaceAllStringFunc(s, func(m string) string {
		g := ordinal.FindStringSubmatch(m)
		switch g[2] {
		case "1":
			return g[1] + " nhất"
		case "4":
			return g[1] + " tư"
		}
		return g[1] + " " + r.Number(int64(atoi(g[2])))
	})
}

func (r Reader) numberRanges(s string) string {
	return numberRange.ReplaceAllStringFunc(s, func(m string) string {
		g := numberRange.FindStringSubmatch(m)
		return r.decimal(g[1]) + " đến " + r.decimal(g[2])
	})
}

func (r Reader) numbers(s string) string {
	return number.ReplaceAllStringFunc(s, r.decimal)
}

// symbols reads "&" as "và".
func symbols(s string) string {
	return strings.ReplaceAll(s, "&", " và ")
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// expansions are the programme's abbreviations (the commune plan 2026–2030
// and the usual names of the mass organisations), matched as whole words
// and case-sensitively.
var expansions = map[string]string{
	"UBND":     "Ủy ban nhân dân",
	"HĐND":     "Hội đồng nhân dân",
	"MTTQ":     "Mặt trận Tổ quốc",
	"UBMTTQ":   "Ủy ban Mặt trận Tổ quốc",
	"BLGĐ":     "bạo lực gia đình",
	"PCBLGĐ":   "phòng, chống bạo lực gia đình",
	"BĐG":      "bình đẳng giới",
	"BLG":      "bạo lực giới",
	"BLTCSG":   "bạo lực trên cơ sở giới",
	"LHPN":     "Liên hiệp Phụ nữ",
	"HLHPN":    "Hội Liên hiệp Phụ nữ",
	"HPN":      "Hội Phụ nữ",
	"ĐTN":      "Đoàn Thanh niên",
	"ĐTNCS":    "Đoàn Thanh niên Cộng sản",
	"HCCB":     "Hội Cựu chiến binh",
	"HND":      "Hội Nông dân",
	"NCT":      "người cao tuổi",
	"CT-XH":    "chính trị - xã hội",
	"VH-XH":    "văn hóa - xã hội",
	"VHXH":     "văn hóa - xã hội",
	"KH":       "kế hoạch",
	"THCS":     "trung học cơ sở",
	"THPT":     "trung học phổ thông",
	"HTX":      "hợp tác xã",
	"TDP":      "tổ dân phố",
	"CAX":      "công an xã",
	"BHYT":     "bảo hiểm y tế",
	"TTCS":     "thông tin cơ sở",
	"VN":       "Việt Nam",
	"VNĐ":      "Việt Nam đồng",
	"VND":      "Việt Nam đồng",
	"đ/c":      "đồng chí",
	"Đ/c":      "Đồng chí",
	"GĐ":       "gia đình",
	"TE":       "trẻ em",
	"BVTE":     "bảo vệ trẻ em",
	"XHCN":     "xã hội chủ nghĩa",
	"CHXHCNVN": "Cộng hòa xã hội chủ nghĩa Việt Nam",
}

// abbreviations replaces whole tokens (letters, digits, and a hyphen or
// slash inside them) found in expansions. Regular expressions' \b does not
// see Vietnamese letters as word characters, hence the tokenizer.
func abbreviations(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !isWord(rs[i]) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && (isWord(rs[j]) || ((rs[j] == '-' || rs[j] == '/') && j+1 < len(rs) && isWord(rs[j+1]) && j > i)) {
			j++
		}
		b.WriteString(expandToken(string(rs[i:j])))
		i = j
	}
	return b.String()
}

// expandToken expands a token whole ("CT-XH", "đ/c"), else each of its
// slash- and hyphen-separated parts ("137/KH-UBND").
func expandToken(tok string) string {
	if w, ok := expansions[tok]; ok {
		return w
	}
	if strings.Contains(tok, "/") {
		parts := strings.Split(tok, "/")
		for i, p := range parts {
			parts[i] = expandToken(p)
		}
		return strings.Join(parts, " ")
	}
	if !strings.Contains(tok, "-") {
		return tok
	}
	parts := strings.Split(tok, "-")
	for i, p := range parts {
		if w, ok := expansions[p]; ok {
			parts[i] = w
		}
	}
	return strings.Join(parts, " - ")
}
