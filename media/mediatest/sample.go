package mediatest

// Sample leaflet text, in Vietnamese with many stacked diacritics, used by
// tests and the benchmark so that they all render the same leaflet.
const (
	SampleTitle   = "Nói không với bạo lực gia đình"
	SampleBody    = "Bạo lực gia đình không phải là chuyện riêng của mỗi nhà. Nếu bạn hoặc người thân bị đánh đập, đe dọa hay kiểm soát, hãy gọi ngay đường dây nóng hoặc đến trạm y tế xã để được giúp đỡ."
	SampleHotline = "Đường dây nóng: 111"
	SampleQRURL   = "https://lantoa.example.vn/q/Xy7Kp2Qa"
)
