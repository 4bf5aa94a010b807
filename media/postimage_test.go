package media

import (
	"bytes"
	"image/jpeg"
	"testing"

	"github.com/lantoa/lantoa/media/mediatest"
)

// TestPostImage: a sideways phone photo with a GPS position becomes an
// upright JPEG that fits PostMaxSide and carries no EXIF at all.
func TestPostImage(t *testing.T) {
	t.Parallel()
	src, err := mediatest.JPEG(mediatest.Photo(3000, 1500, 7), mediatest.EXIF{Orientation: 6, GPS: true})
	if err != nil {
		t.Fatal(err)
	}
	out, err := PostImage(src)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1024 || cfg.Height != 2048 {
		t.Fatalf("post image %d×%d, want upright 1024×2048", cfg.Width, cfg.Height)
	}
	for _, m := range segments(t, out) {
		if m == 0xE1 {
			t.Fatal("the post image has an APP1 (EXIF) segment")
		}
	}
	if bytes.Contains(out, []byte("Exif")) || bytes.Contains(out, []byte("LanToaCam")) {
		t.Fatal("the post image carries the original's metadata")
	}
	small := encodePNG(t, checker(40, 30))
	out, err = PostImage(small)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, _ := jpeg.DecodeConfig(bytes.NewReader(out)); cfg.Width != 40 || cfg.Height != 30 {
		t.Fatalf("a small photo is not enlarged: %d×%d", cfg.Width, cfg.Height)
	}
	if _, err := PostImage([]byte("GIF89a")); err == nil {
		t.Fatal("a GIF became a post image")
	}
}
