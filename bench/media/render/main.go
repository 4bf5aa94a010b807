// Command render is the benchmark driver for package media: it decodes one
// photo and renders the five leaflet variants of a fixed sample leaflet
// into a directory, as the service does for one request. With -gen it
// instead writes the synthetic photo the Go benchmark uses.
//
//	go run ./bench/media/render -gen photo.jpg [-size 4000x3000]
//	go run ./bench/media/render -in photo.jpg -out dir [-template photo-top]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/media/mediatest"
)

func main() {
	gen := flag.String("gen", "", "write the synthetic benchmark photo to this path and exit")
	size := flag.String("size", "4000x3000", "size of the generated photo, WxH")
	in := flag.String("in", "", "photo to render (JPEG, PNG or WebP)")
	out := flag.String("out", "", "directory for the variants")
	template := flag.String("template", media.TemplatePhotoTop, "leaflet template")
	flag.Parse()
	var err error
	switch {
	case *gen != "":
		err = generate(*gen, *size)
	case *in != "" && *out != "":
		err = render(*in, *out, *template)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
}

func generate(path, size string) error {
	var w, h int
	if _, err := fmt.Sscanf(size, "%dx%d", &w, &h); err != nil {
		return fmt.Errorf("size %q: %w", size, err)
	}
	data, err := mediatest.PhotoJPEG(w, h, 1)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func render(in, out, template string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	photo, err := media.Decode(data)
	if err != nil {
		return err
	}
	variants, err := media.Render(photo, media.Leaflet{
		Title: mediatest.SampleTitle, Body: mediatest.SampleBody, Hotline: mediatest.SampleHotline,
		QRURL: mediatest.SampleQRURL, Template: template,
	})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, v := range variants {
		if err := os.WriteFile(filepath.Join(out, name+".jpg"), v.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
