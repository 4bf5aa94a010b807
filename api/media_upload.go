package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/media"
)

// uploadBodyLimit bounds an upload request: the largest accepted photo plus
// room for the multipart framing. A bigger body is cut off as it arrives,
// so a 1 GB upload costs 20 MB of reading, not 1 GB.
const uploadBodyLimit = media.MaxBytes + 64<<10

// uploadMedia stores a photo sent as the multipart field "file". It is read
// as a stream (never spooled to disk), checked by content, and refused with
// 415, 413 or 422 when it is not an acceptable image.
func (s *Server) uploadMedia(c *gin.Context) {
	if c.Request.ContentLength > uploadBodyLimit { // declared too big: refuse before reading a byte
		fail(c, s.Log, media.ErrTooLarge)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, uploadBodyLimit)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		fail(c, s.Log, apperr.Invalid("file", "send the photo as multipart/form-data, in the field file"))
		return
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			fail(c, s.Log, uploadReadError(err))
			return
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := media.ReadUpload(part)
		if err != nil {
			fail(c, s.Log, uploadReadError(err))
			return
		}
		u, err := s.Media.SaveUpload(c, principal(c).Username, data)
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		c.JSON(http.StatusCreated, u)
		return
	}
}

// uploadReadError turns an error reading the multipart body into what the
// caller should hear: too large, no file, or a malformed body.
func uploadReadError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), errors.Is(err, media.ErrTooLarge):
		return err
	case errors.Is(err, io.EOF):
		return apperr.Invalid("file", "is required: send the photo in the multipart field file")
	default:
		return apperr.Invalid("file", "the multipart body is malformed or cut short")
	}
}
