package vitext

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNumber(t *testing.T) {
	t.Parallel()
	cases := map[int64]string{
		0:             "không",
		1:             "một",
		4:             "bốn",
		5:             "năm",
		10:            "mười",
		11:            "mười một",
		14:            "mười bốn",
		15:            "mười lăm",
		20:            "hai mươi",
		21:            "hai mươi mốt",
		24:            "hai mươi bốn",
		25:            "hai mươi lăm",
		30:            "ba mươi",
		55:            "năm mươi lăm",
		91:            "chín mươi mốt",
		100:           "một trăm",
		101:           "một trăm linh một",
		105:           "một trăm linh năm",
		110:           "một trăm mười",
		111:           "một trăm mười một",
		115:           "một trăm mười lăm",
		121:           "một trăm hai mươi mốt",
		137:           "một trăm ba mươi bảy",
		999:           "chín trăm chín mươi chín",
		1000:          "một nghìn",
		1001:          "một nghìn không trăm linh một",
		1010:          "một nghìn không trăm mười",
		1100:          "một nghìn một trăm",
		2026:          "hai nghìn không trăm hai mươi sáu",
		2030:          "hai nghìn không trăm ba mươi",
		10000:         "mười nghìn",
		15000:         "mười lăm nghìn",
		21000:         "hai mươi mốt nghìn",
		100000:        "một trăm nghìn",
		500000:        "năm trăm nghìn",
		1000000:       "một triệu",
		1005000:       "một triệu không trăm linh năm nghìn",
		1000005:       "một triệu không trăm linh năm",
		2500000:       "hai triệu năm trăm nghìn",
		1000000000:    "một tỷ",
		3000000021:    "ba tỷ không trăm hai mươi mốt",
		1000000000000: "một nghìn tỷ",
		-5:            "âm năm",
	}
	for n, want := range cases {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
	if got := (Reader{South: true}).Number(105); got != "một trăm lẻ năm" {
		t.Errorf("southern 105 = %q", got)
	}
	if got := (Reader{South: true}).Number(2005); got != "hai nghìn không trăm lẻ năm" {
		t.Errorf("southern 2005 = %q", got)
	}
}

func TestDigits(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"111":          "một một một",
		"1800 1567":    "một tám không không, một năm sáu bảy",
		"0912 345 678": "không chín một hai, ba bốn năm, sáu bảy tám",
		"0912.345.678": "không chín một hai, ba bốn năm, sáu bảy tám",
		"":             "",
	} {
		if got := Digits(in); got != want {
			t.Errorf("Digits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSpeakable(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		// dates
		{"25/11", "ngày hai mươi lăm tháng mười một"},
		{"Ngày 25/11 hằng năm", "Ngày hai mươi lăm tháng mười một hằng năm"},
		{"ngày 25/11/2026", "ngày hai mươi lăm tháng mười một năm hai nghìn không trăm hai mươi sáu"},
		{"Hạn chót 01/06.", "Hạn chót ngày mùng một tháng sáu."},
		{"họp 04/4", "họp ngày mùng bốn tháng tư"},
		{"ngày 30-4-1975", "ngày ba mươi tháng tư năm một nghìn chín trăm bảy mươi lăm"},
		{"(01/6 - 30/6)", "(từ ngày mùng một tháng sáu đến ngày ba mươi tháng sáu)"},
		{"từ 15/11–15/12", "từ ngày mười lăm tháng mười một đến ngày mười lăm tháng mười hai"},
		{"Từ ngày 01/6 đến ngày 30/6", "Từ ngày mùng một tháng sáu đến ngày ba mươi tháng sáu"},
		{"tháng 11", "tháng mười một"},
		{"Tháng 4/2026", "Tháng tư năm hai nghìn không trăm hai mươi sáu"},
		{"32/13 không phải ngày", "ba mươi hai mười ba không phải ngày"},
		// times
		{"06:00", "sáu giờ"},
		{"lúc 6h30 sáng", "lúc sáu giờ ba mươi phút sáng"},
		{"17h", "mười bảy giờ"},
		{"17 giờ 30", "mười bảy giờ ba mươi"},
		{"từ 06:00-07:30", "từ sáu giờ đến bảy giờ ba mươi phút"},
		{"20:05", "hai mươi giờ năm phút"},
		// hotlines and phones
		{"Gọi 111", "Gọi một một một"},
		{"Tổng đài 111 miễn phí", "Tổng đài một một một miễn phí"},
		{"đường dây nóng: 1800 1567", "đường dây nóng: một tám không không, một năm sáu bảy"},
		{"Hotline 1800.1567", "Hotline một tám không không, một năm sáu bảy"},
		{"gọi ngay số 113", "gọi ngay số một một ba"},
		{"liên hệ 0912 345 678", "liên hệ không chín một hai, ba bốn năm, sáu bảy tám"},
		{"SĐT: 0912345678", "SĐT: không chín một hai ba bốn năm sáu bảy tám"},
		{"111 hộ gia đình", "một trăm mười một hộ gia đình"},
		{"gọi 3 lần", "gọi ba lần"},
		// percentages, money, decimals, ranges
		{"100% người bị bạo lực", "một trăm phần trăm người bị bạo lực"},
		{"đạt từ 80% trở lên", "đạt từ tám mươi phần trăm trở lên"},
		{"tăng 2,5%", "tăng hai phẩy năm phần trăm"},
		{"hỗ trợ 500.000 đồng", "hỗ trợ năm trăm nghìn đồng"},
		{"phạt 1.500.000đ", "phạt một triệu năm trăm nghìn đồng"},
		{"giai đoạn 2026 - 2030", "giai đoạn hai nghìn không trăm hai mươi sáu đến hai nghìn không trăm ba mươi"},
		{"giai đoạn 2026 -2030", "giai đoạn hai nghìn không trăm hai mươi sáu đến hai nghìn không trăm ba mươi"},
		{"ở lại 5 đêm", "ở lại năm đêm"},
		{"quỹ 20 triệu VNĐ", "quỹ hai mươi triệu Việt Nam đồng"},
		{"tổng đài 19001234", "tổng đài một chín không không một hai ba bốn"},
		{"Hotline 1900 1234 hoặc 024 3824 1234", "Hotline một chín không không, một hai ba bốn hoặc không hai bốn, ba tám hai bốn, một hai ba bốn"},
		{"0,05 giây", "không phẩy không năm giây"},
		{"ít nhất 01 nơi tạm lánh", "ít nhất một nơi tạm lánh"},
		{"21 xã", "hai mươi mốt xã"},
		{"thứ 4", "thứ tư"},
		{"Thứ 2 hằng tuần", "Thứ hai hằng tuần"},
		{"lần thứ 1", "lần thứ nhất"},
		// abbreviations
		{"UBND xã Liên Minh", "Ủy ban nhân dân xã Liên Minh"},
		{"HĐND và UBND xã", "Hội đồng nhân dân và Ủy ban nhân dân xã"},
		{"Ủy ban MTTQ Việt Nam và các Tổ chức CT-XH xã", "Ủy ban Mặt trận Tổ quốc Việt Nam và các Tổ chức chính trị - xã hội xã"},
		{"phòng, chống BLGĐ", "phòng, chống bạo lực gia đình"},
		{"Tháng hành động vì BĐG", "Tháng hành động vì bình đẳng giới"},
		{"Hội LHPN xã", "Hội Liên hiệp Phụ nữ xã"},
		{"Kế hoạch số 137/KH-UBND", "Kế hoạch số một trăm ba mươi bảy kế hoạch - Ủy ban nhân dân"},
		{"đ/c Chủ tịch", "đồng chí Chủ tịch"},
		{"UBNDX", "UBNDX"},
		{"Bà con & khách", "Bà con và khách"},
		// a sentence with everything
		{"Ngày 25/11/2026 lúc 7h30, UBND xã phát động; gọi 111 (miễn phí) hoặc 0912 345 678.",
			"Ngày hai mươi lăm tháng mười một năm hai nghìn không trăm hai mươi sáu lúc bảy giờ ba mươi phút, Ủy ban nhân dân xã phát động; gọi một một một (miễn phí) hoặc không chín một hai, ba bốn năm, sáu bảy tám."},
	}
	for _, c := range cases {
		got := Speakable(c.in)
		if got != c.want {
			t.Errorf("Speakable(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Errorf("Speakable(%q) is not NFC", c.in)
		}
	}
}

// TestSpeakableNFC: decomposed input (as some phones type) comes out NFC
// and its abbreviations are still found.
func TestSpeakableNFC(t *testing.T) {
	t.Parallel()
	in := norm.NFD.String("HĐND xã tổ chức ngày 25/11")
	want := "Hội đồng nhân dân xã tổ chức ngày hai mươi lăm tháng mười một"
	if got := Speakable(in); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
