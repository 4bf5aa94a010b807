package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/media"
)

// errorBody is the SPEC §5 error shape.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// abort writes the error shape and stops the chain.
func abort(c *gin.Context, status int, code, message string) {
	c.AbortWithStatusJSON(status, errorBody{errorDetail{Code: code, Message: message}})
}

// fail maps a domain error to its status and safe message. It is the one
// place that does: internal errors are logged with the request id and never
// echoed to the caller.
func fail(c *gin.Context, log *slog.Logger, err error) {
	var v *apperr.ValidationError
	var tooBig *http.MaxBytesError
	switch {
	case ClientGone(c, err):
		// Not a failure of ours: the caller hung up (a closed tab, a phone
		// losing signal, a load tester stopping) while the store was busy.
		log.Info("request abandoned by the client", "request_id", c.GetString(requestIDKey), "route", c.FullPath(), "err", err)
		c.AbortWithStatus(StatusClientClosedRequest)
	case errors.As(err, &v):
		c.AbortWithStatusJSON(http.StatusBadRequest, errorBody{errorDetail{Code: "invalid_input", Message: v.Error(), Field: v.Field}})
	case errors.As(err, &tooBig):
		abort(c, http.StatusRequestEntityTooLarge, "too_large", "the request body is too large")
	case errors.Is(err, accounts.ErrRateLimited):
		mins := 15
		var rl *accounts.RateLimitError
		if errors.As(err, &rl) {
			c.Header("Retry-After", strconv.Itoa(int((rl.Wait+time.Second-1)/time.Second)))
			mins = int((rl.Wait + time.Minute - 1) / time.Minute)
		}
		abort(c, http.StatusTooManyRequests, "too_many_attempts",
			fmt.Sprintf("Quá nhiều lần đăng nhập sai từ máy này. Vui lòng thử lại sau %d phút. (Too many failed sign-ins from this device; try again in %d minutes.)", mins, mins))
	case errors.Is(err, media.ErrUnsupportedType):
		abort(c, http.StatusUnsupportedMediaType, "unsupported_media_type",
			"Chỉ nhận ảnh JPEG, PNG hoặc WebP. (Only JPEG, PNG and WebP images are accepted.)")
	case errors.Is(err, media.ErrTooLarge):
		abort(c, http.StatusRequestEntityTooLarge, "too_large", "Ảnh lớn hơn 20 MB. (The image is larger than 20 MB.)")
	case errors.Is(err, media.ErrTooManyPixels):
		abort(c, http.StatusRequestEntityTooLarge, "too_many_pixels",
			"Ảnh lớn hơn 40 megapixel. (The image has more than 40 megapixels.)")
	case errors.Is(err, media.ErrCorrupt):
		abort(c, http.StatusUnprocessableEntity, "corrupt_image",
			"Tệp ảnh bị hỏng hoặc không đầy đủ. (The image file is damaged or incomplete.)")
	case errors.Is(err, apperr.ErrUnauthenticated):
		abort(c, http.StatusUnauthorized, "unauthenticated", "sign in first, or the credentials are wrong or expired")
	case errors.Is(err, accounts.ErrPasswordChangeRequired):
		abort(c, http.StatusForbidden, "password_change_required",
			"Mật khẩu của bạn đã được đặt lại: hãy đổi mật khẩu trước (POST /api/v1/me/password). (Your password was reset: choose a new one first.)")
	case errors.Is(err, apperr.ErrForbidden):
		abort(c, http.StatusForbidden, "forbidden", orDefault(apperr.Message(err), "your role does not allow this"))
	case errors.Is(err, apperr.ErrNotFound):
		abort(c, http.StatusNotFound, "not_found", orDefault(apperr.Message(err), "not found"))
	case errors.Is(err, apperr.ErrConflict):
		abort(c, http.StatusConflict, "conflict", orDefault(apperr.Message(err), "the record is not in a state that allows this"))
	case storeUnavailable(err):
		log.Warn("request failed: the store does not answer", "request_id", c.GetString(requestIDKey), "route", c.FullPath(), "err", err)
		abort(c, http.StatusServiceUnavailable, "store_unavailable",
			"Cơ sở dữ liệu tạm thời không trả lời; vui lòng thử lại sau ít phút. (The database is not answering; try again in a few minutes.)")
	default:
		log.Error("request failed", "request_id", c.GetString(requestIDKey), "route", c.FullPath(), "err", err)
		abort(c, http.StatusInternalServerError, "internal_error", "something went wrong on our side; the request id is "+c.GetString(requestIDKey))
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// StatusClientClosedRequest is what the request log records for a request
// its caller abandoned (nginx's 499); nobody receives it.
const StatusClientClosedRequest = 499

// ClientGone reports whether err only says that the request's own context
// ended because its caller went away.
func ClientGone(c *gin.Context, err error) bool {
	return errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil
}

// storeUnavailable reports errors that mean the database cannot be reached
// (no server selectable, connection refused or dropped), as opposed to a
// failed command.
func storeUnavailable(err error) bool {
	var sel topology.ServerSelectionError
	return errors.As(err, &sel) || mongo.IsNetworkError(err)
}
