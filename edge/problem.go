package edge

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

// Problem is what a failed request answers, whichever surface renders it:
// its status, the SPEC's error code, a message safe to show (never internal
// text), the catalogue key a page shows, and the input field at fault.
type Problem struct {
	Status  int
	Code    string
	Message string
	Key     string
	Field   string
	// RetryAfter, when set, is sent as Retry-After.
	RetryAfter time.Duration
}

// StatusClientClosedRequest is what the request log records for a request
// its caller abandoned (nginx's 499); nobody receives it.
const StatusClientClosedRequest = 499

// Classify maps err to its Problem: the one mapping of domain errors to
// HTTP answers. It logs what is ours to look at: a request abandoned by its
// caller at Info, a store that does not answer at Warn, anything else
// unexpected at Error with the request id (the answer only names the id).
func Classify(c *gin.Context, log *slog.Logger, err error) Problem {
	p := classify(c, err)
	attrs := []any{"request_id", RequestID(c), "route", c.FullPath(), "err", err}
	switch {
	case p.Status == StatusClientClosedRequest:
		log.Info("request abandoned by the client", attrs...)
	case p.Code == "store_unavailable":
		log.Warn("request failed: the store does not answer", attrs...)
	case p.Status >= 500:
		log.Error("request failed", attrs...)
	}
	return p
}

func classify(c *gin.Context, err error) Problem {
	var v *apperr.ValidationError
	var tooBig *http.MaxBytesError
	var rl *accounts.RateLimitError
	switch {
	case ClientGone(c, err):
		// Not a failure of ours: the caller hung up (a closed tab, a phone
		// losing signal, a load tester stopping) while the store was busy.
		return Problem{Status: StatusClientClosedRequest}
	case errors.As(err, &v):
		return Problem{Status: http.StatusBadRequest, Code: "invalid_input", Message: v.Error(), Key: "error.invalid", Field: v.Field}
	case errors.As(err, &tooBig):
		return Problem{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: "the request body is too large", Key: "error.too_large"}
	case errors.As(err, &rl), errors.Is(err, accounts.ErrRateLimited):
		wait := 15 * time.Minute
		if rl != nil {
			wait = rl.Wait
		}
		mins := int((wait + time.Minute - 1) / time.Minute)
		return Problem{Status: http.StatusTooManyRequests, Code: "too_many_attempts", Key: "login.rate_limited", RetryAfter: wait,
			Message: fmt.Sprintf("Quá nhiều lần đăng nhập sai từ máy này. Vui lòng thử lại sau %d phút. (Too many failed sign-ins from this device; try again in %d minutes.)", mins, mins)}
	}
	if p, ok := mediaProblem(err); ok {
		return p
	}
	if p, ok := audioProblem(err); ok {
		return p
	}
	switch {
	case errors.Is(err, apperr.ErrUnauthenticated):
		return Problem{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: "sign in first, or the credentials are wrong or expired", Key: "error.unauthenticated"}
	case errors.Is(err, accounts.ErrPasswordChangeRequired):
		return Problem{Status: http.StatusForbidden, Code: "password_change_required", Key: "error.forbidden",
			Message: "Mật khẩu của bạn đã được đặt lại: hãy đổi mật khẩu trước (POST /api/v1/me/password). (Your password was reset: choose a new one first.)"}
	case errors.Is(err, apperr.ErrForbidden):
		return Problem{Status: http.StatusForbidden, Code: "forbidden", Message: orDefault(apperr.Message(err), "your role does not allow this"), Key: "error.forbidden"}
	case errors.Is(err, apperr.ErrNotFound):
		return Problem{Status: http.StatusNotFound, Code: "not_found", Message: orDefault(apperr.Message(err), "not found"), Key: "error.not_found"}
	case errors.Is(err, apperr.ErrConflict):
		return Problem{Status: http.StatusConflict, Code: "conflict", Message: orDefault(apperr.Message(err), "the record is not in a state that allows this"), Key: "error.conflict"}
	case StoreUnavailable(err):
		return Problem{Status: http.StatusServiceUnavailable, Code: "store_unavailable", Key: "error.store_unavailable",
			Message: "Cơ sở dữ liệu tạm thời không trả lời; vui lòng thử lại sau ít phút. (The database is not answering; try again in a few minutes.)"}
	}
	return Problem{Status: http.StatusInternalServerError, Code: "internal_error", Key: "error.internal",
		Message: "something went wrong on our side; the request id is " + RequestID(c)}
}

// mediaProblem maps the media domain's refusals of an upload.
func mediaProblem(err error) (Problem, bool) {
	switch {
	case errors.Is(err, media.ErrUnsupportedType):
		return Problem{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Key: "lf.bad_photo",
			Message: "Chỉ nhận ảnh JPEG, PNG hoặc WebP. (Only JPEG, PNG and WebP images are accepted.)"}, true
	case errors.Is(err, media.ErrTooLarge):
		return Problem{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Key: "lf.bad_photo",
			Message: "Ảnh lớn hơn 20 MB. (The image is larger than 20 MB.)"}, true
	case errors.Is(err, media.ErrTooManyPixels):
		return Problem{Status: http.StatusRequestEntityTooLarge, Code: "too_many_pixels", Key: "lf.bad_photo",
			Message: "Ảnh lớn hơn 40 megapixel. (The image has more than 40 megapixels.)"}, true
	case errors.Is(err, media.ErrCorrupt):
		return Problem{Status: http.StatusUnprocessableEntity, Code: "corrupt_image", Key: "lf.bad_photo",
			Message: "Tệp ảnh bị hỏng hoặc không đầy đủ. (The image file is damaged or incomplete.)"}, true
	}
	return Problem{}, false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ClientGone reports whether err only says that the request's own context
// ended because its caller went away.
func ClientGone(c *gin.Context, err error) bool {
	return errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil
}

// StoreUnavailable reports errors that mean the database cannot be reached
// (no server selectable, connection refused or dropped), as opposed to a
// failed command.
func StoreUnavailable(err error) bool {
	var sel topology.ServerSelectionError
	return errors.As(err, &sel) || mongo.IsNetworkError(err)
}

// errorBody is the SPEC §5 error shape.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// WriteJSON answers p in the SPEC's error shape and stops the chain.
func WriteJSON(c *gin.Context, p Problem) {
	if p.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int((p.RetryAfter+time.Second-1)/time.Second)))
	}
	if p.Status == StatusClientClosedRequest {
		c.AbortWithStatus(p.Status)
		return
	}
	c.AbortWithStatusJSON(p.Status, errorBody{errorDetail{Code: p.Code, Message: p.Message, Field: p.Field}})
}

// FailJSON classifies err and answers it in the SPEC's error shape.
func FailJSON(c *gin.Context, log *slog.Logger, err error) { WriteJSON(c, Classify(c, log, err)) }

// Abort answers status with code and message in the SPEC's error shape.
func Abort(c *gin.Context, status int, code, message string) {
	WriteJSON(c, Problem{Status: status, Code: code, Message: message})
}

// NoRoute answers a path no route has with the SPEC's error shape (404).
// The pages answer browsers with a page instead, outside /api/.
func NoRoute(c *gin.Context) { Abort(c, http.StatusNotFound, "not_found", "no such page or endpoint") }

// NoMethod answers a method the path does not take (405), like NoRoute.
func NoMethod(c *gin.Context) {
	Abort(c, http.StatusMethodNotAllowed, "method_not_allowed", "this method is not allowed here")
}
