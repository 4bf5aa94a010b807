package media_test

import (
	"bytes"
	"fmt"
	"image/jpeg"

	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/media/mediatest"
)

// An upload is checked and decoded, then rendered into every variant; the
// variant key is what the caller caches them under.
func ExampleRender() {
	upload, err := mediatest.PhotoJPEG(1200, 900, 1)
	if err != nil {
		panic(err)
	}
	info, err := media.Inspect(upload)
	if err != nil {
		panic(err) // the HTTP layer answers 413 or 415 here
	}
	photo, err := media.Decode(upload)
	if err != nil {
		panic(err)
	}
	spec := media.Leaflet{
		Title:   "Nói không với bạo lực gia đình",
		Body:    "Hãy gọi ngay khi bạn hoặc người thân cần giúp đỡ.",
		Hotline: "Đường dây nóng: 111",
		QRURL:   "https://lantoa.example.vn/q/Xy7Kp2Qa",
	}
	variants, err := media.Render(photo, spec)
	if err != nil {
		panic(err)
	}
	fmt.Println("upload:", info.Format, info.Width, "×", info.Height)
	for _, s := range media.Sizes() {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(variants[s.Name].Data))
		if err != nil {
			panic(err)
		}
		fmt.Println(s.Name, cfg.Width, "×", cfg.Height)
	}
	fmt.Println("key length:", len(media.VariantKey("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", spec)))
	// Output:
	// upload: jpeg 1200 × 900
	// print-a4 2480 × 3508
	// print-a5 1748 × 2480
	// facebook 1080 × 1350
	// zalo 1280 × 720
	// thumb 320 × 400
	// key length: 64
}
