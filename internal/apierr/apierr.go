// Package apierr builds the errors wenming returns to callers: a gRPC status
// with a code a client can act on and, for bad input, a google.rpc.BadRequest
// detail naming every offending field. Anything that is not such a status is
// an internal error: the server logs it and the caller sees only INTERNAL.
package apierr

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Violations collects field problems of one request so the caller learns
// about all of them at once. The zero value is ready to use.
type Violations struct {
	list []*errdetails.BadRequest_FieldViolation
}

// Add records that field (a snake_case path such as "question.options[2].text")
// is wrong, with a description a person can act on.
func (v *Violations) Add(field, format string, args ...any) {
	v.list = append(v.list, &errdetails.BadRequest_FieldViolation{
		Field:       field,
		Description: fmt.Sprintf(format, args...),
	})
}

// Len is the number of violations recorded so far.
func (v *Violations) Len() int { return len(v.list) }

// Required records a violation when s is blank.
func (v *Violations) Required(field, s string) bool {
	if strings.TrimSpace(s) == "" {
		v.Add(field, "is required")
		return false
	}
	return true
}

// Text checks a free-text field: valid UTF-8 and at most max characters
// (runes, so a Chinese character counts as one).
func (v *Violations) Text(field, s string, max int) bool {
	if !utf8.ValidString(s) {
		v.Add(field, "is not valid UTF-8")
		return false
	}
	if n := utf8.RuneCountInString(s); n > max {
		v.Add(field, "is %d characters long; the limit is %d", n, max)
		return false
	}
	return true
}

// RequiredText is Required followed by Text.
func (v *Violations) RequiredText(field, s string, max int) bool {
	return v.Required(field, s) && v.Text(field, s, max)
}

// RequestID checks an optional AIP-155 idempotency key.
func (v *Violations) RequestID(field, s string) {
	if len(s) > 64 {
		v.Add(field, "is %d bytes long; the limit is 64", len(s))
	}
}

// Err returns nil when nothing was recorded, else an INVALID_ARGUMENT status
// whose message lists every violation and whose BadRequest detail names them.
func (v *Violations) Err() error {
	if len(v.list) == 0 {
		return nil
	}
	st := status.New(codes.InvalidArgument, "invalid request: "+strings.Join(v.Lines(), "; "))
	withDetail, err := st.WithDetails(&errdetails.BadRequest{FieldViolations: v.list})
	if err != nil {
		return st.Err()
	}
	return withDetail.Err()
}

// Field is a shortcut for a single bad field.
func Field(field, format string, args ...any) error {
	var v Violations
	v.Add(field, format, args...)
	return v.Err()
}

// NotFound says the named resource does not exist.
func NotFound(kind, id string) error {
	return status.Errorf(codes.NotFound, "%s %q not found", kind, id)
}

// FailedPrecondition says the request is well formed but the resource is not
// in a state that allows it.
func FailedPrecondition(format string, args ...any) error {
	return status.Errorf(codes.FailedPrecondition, format, args...)
}

// AlreadyExists says the resource (or request id) is already taken.
func AlreadyExists(format string, args ...any) error {
	return status.Errorf(codes.AlreadyExists, format, args...)
}

// PermissionDenied says the caller is known but may not do this.
func PermissionDenied(format string, args ...any) error {
	return status.Errorf(codes.PermissionDenied, format, args...)
}

// Unauthenticated says the caller did not prove who it is.
func Unauthenticated(format string, args ...any) error {
	return status.Errorf(codes.Unauthenticated, format, args...)
}

// ResourceExhausted says a quota or limit was reached.
func ResourceExhausted(format string, args ...any) error {
	return status.Errorf(codes.ResourceExhausted, format, args...)
}

// Lines returns each violation as "field: description".
func (v *Violations) Lines() []string {
	out := make([]string, len(v.list))
	for i, fv := range v.list {
		out[i] = fv.Field + ": " + fv.Description
	}
	return out
}
