package apierr

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Domain is the ErrorInfo domain of every reason wenming sends.
const Domain = "wenming"

// Error is a refusal: the request reached a rule that says no. It is a
// value, not a status, so domain code and its tests can ask for its
// Reason; GRPCStatus turns it into the status callers receive.
type Error struct {
	Code    codes.Code
	Reason  Reason
	Message string
	// Metadata goes into the ErrorInfo, e.g. {"kind": "contest", "id": "…"}.
	Metadata map[string]string
	// Fields are the bad fields of an INVALID_ARGUMENT (or of a stored
	// draft that cannot be published); they become a BadRequest detail.
	Fields []*errdetails.BadRequest_FieldViolation
	// RetryAfter, when positive, becomes a google.rpc.RetryInfo detail
	// (and a Retry-After header over HTTP): how long to wait before
	// trying again.
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

// GRPCStatus is the status the caller receives: the code and message, an
// ErrorInfo with the reason, and a BadRequest when fields are named. It is
// the one place a refusal becomes a status.
func (e *Error) GRPCStatus() *status.Status {
	st := status.New(e.Code, e.Message)
	details := []protoadapt.MessageV1{&errdetails.ErrorInfo{Reason: string(e.Reason), Domain: Domain, Metadata: e.Metadata}}
	if len(e.Fields) > 0 {
		details = append(details, &errdetails.BadRequest{FieldViolations: e.Fields})
	}
	if e.RetryAfter > 0 {
		details = append(details, &errdetails.RetryInfo{RetryDelay: durationpb.New(e.RetryAfter)})
	}
	withDetails, err := st.WithDetails(details...)
	if err != nil {
		return st
	}
	return withDetails
}

// New returns a refusal with a code, a reason and a message.
func New(code codes.Code, reason Reason, format string, args ...any) *Error {
	return &Error{Code: code, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// ReasonOf returns the reason of a refusal: an *Error in err's chain, or
// the ErrorInfo of a status a client received. It is "" for anything else.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	if st, ok := status.FromError(err); ok {
		for _, d := range st.Details() {
			if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetDomain() == Domain {
				return Reason(info.GetReason())
			}
		}
	}
	return ""
}

// IsRefusal reports whether err is an answer for the caller (a refusal with
// a reason, such as NOT_FOUND) rather than a failure of the server.
func IsRefusal(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// NotFound says the named resource does not exist.
func NotFound(kind, id string) error {
	return &Error{Code: codes.NotFound, Reason: ResourceNotFound, Message: fmt.Sprintf("%s %q not found", kind, id),
		Metadata: map[string]string{"kind": kind, "id": id}}
}

// FailedPrecondition says the request is well formed but the resource is not
// in a state that allows it; reason says which rule.
func FailedPrecondition(reason Reason, format string, args ...any) error {
	return New(codes.FailedPrecondition, reason, format, args...)
}

// Aborted says a concurrent call changed things first; the caller may read
// again and retry.
func Aborted(reason Reason, format string, args ...any) error {
	return New(codes.Aborted, reason, format, args...)
}

// PermissionDenied says the caller is known but may not do this.
func PermissionDenied(reason Reason, format string, args ...any) error {
	return New(codes.PermissionDenied, reason, format, args...)
}

// Unauthenticated says the caller did not prove who it is.
func Unauthenticated(reason Reason, format string, args ...any) error {
	return New(codes.Unauthenticated, reason, format, args...)
}

// ResourceExhausted says a quota or limit was reached.
func ResourceExhausted(reason Reason, format string, args ...any) error {
	return New(codes.ResourceExhausted, reason, format, args...)
}

// Unavailable says the server cannot answer now but should in a while;
// the caller retries after the hint.
func Unavailable(reason Reason, retryAfter time.Duration, format string, args ...any) *Error {
	e := New(codes.Unavailable, reason, format, args...)
	e.RetryAfter = retryAfter
	return e
}
