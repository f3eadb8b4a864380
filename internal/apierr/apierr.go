package apierr

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
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

// Err returns nil when nothing was recorded, else an INVALID_ARGUMENT
// error (reason INVALID_ARGUMENT) whose message lists every violation and
// whose BadRequest detail names them.
func (v *Violations) Err() error {
	return v.Refuse(codes.InvalidArgument, InvalidArgument, "invalid request: ")
}

// Refuse is Err with another code and reason and the message starting
// with prefix instead of "invalid request: ", keeping the BadRequest
// detail: how a stored draft that fails its checks is refused (the
// request is fine, the draft is not).
func (v *Violations) Refuse(code codes.Code, reason Reason, prefix string) error {
	if len(v.list) == 0 {
		return nil
	}
	return &Error{Code: code, Reason: reason, Message: prefix + strings.Join(v.Lines(), "; "), Fields: v.list}
}

// Field is a shortcut for a single bad field.
func Field(field, format string, args ...any) error {
	var v Violations
	v.Add(field, format, args...)
	return v.Err()
}

// Lines returns each violation as "field: description".
func (v *Violations) Lines() []string {
	out := make([]string, len(v.list))
	for i, fv := range v.list {
		out[i] = fv.Field + ": " + fv.Description
	}
	return out
}
