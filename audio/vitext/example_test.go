package vitext_test

import (
	"fmt"

	"github.com/lantoa/lantoa/audio/vitext"
)

func ExampleSpeakable() {
	fmt.Println(vitext.Speakable("Ngày 25/11, UBND xã phát động; gọi 111 hoặc 1800 1567."))
	fmt.Println(vitext.Speakable("Tháng hành động (01/6 - 30/6), 7h30, đạt 80%."))
	// Output:
	// Ngày hai mươi lăm tháng mười một, Ủy ban nhân dân xã phát động; gọi một một một hoặc một tám không không, một năm sáu bảy.
	// Tháng hành động (từ ngày mùng một tháng sáu đến ngày ba mươi tháng sáu), bảy giờ ba mươi phút, đạt tám mươi phần trăm.
}

func ExampleReader_Number() {
	fmt.Println(vitext.Number(2026))
	fmt.Println(vitext.Reader{South: true}.Number(105))
	// Output:
	// hai nghìn không trăm hai mươi sáu
	// một trăm lẻ năm
}
