// Package media checks uploaded photos and renders campaign leaflets from
// them. Its core (Inspect, Decode, Render, VariantKey, PrintPDF, PostImage)
// is pure: no HTTP, no database. Service stores on top of it: originals and
// variants in GridFS, uploads, leaflets, rendered variant sets and QR codes
// in their collections, and gives the dispatcher each item's images
// (Service.Content); docs/architecture.md describes the layout.
//
// An upload goes through ReadUpload (at most MaxBytes), Inspect (format by
// content, pixel count from the header, EXIF orientation; no pixels are
// decoded) and Decode (decoded once, turned upright). A leaflet is then
// rendered with
//
//	key := media.VariantKey(photoSHA256, spec) // look it up first
//	variants, err := media.Render(photo, spec)  // every size in Sizes()
//	pdf, err := media.PrintPDF(variants[media.VariantPrintA5].Data, "A5")
//
// Render resamples the photo with Lanczos (smaller variants from larger
// ones where that loses nothing), then draws the text with DejaVu Sans, which
// covers all Vietnamese letters, and the QR code at each variant's own
// resolution, and encodes JPEGs that carry no metadata from the upload.
//
// Errors from bad input wrap ErrUnsupportedType, ErrTooLarge,
// ErrTooManyPixels or ErrCorrupt, or are *apperr.ValidationError values
// naming the leaflet field at fault.
package media
