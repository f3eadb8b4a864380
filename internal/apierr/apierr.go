package apierr

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
)

// Violations collects field problems of one request so the caller learns
// about all of them at once. The zero value is ready to use.
type Violations struct {
	list []*errdetails.BadRequest_FieldViolation
	n    int // violations recorded, listed or not
}

// MaxReported is how many violations one reply lists; the rest are
// counted. A request with 10,000 bad option keys must not earn a
// megabyte of error.
const MaxReported = 20

// maxQuoted bounds a string argument quoted in a description: long
// values are never echoed back whole.
const maxQuoted = 64

// Add records that field (a snake_case path such as "question.options[2].text")
// is wrong, with a description a person can act on. String arguments
// longer than 64 characters are cut, so a reply never echoes a long
// value; past MaxReported violations only the count grows.
func (v *Violations) Add(field, format string, args ...any) {
	v.AddReason(field, "", format, args...)
}

// AddReason is Add with the violation's machine-readable reason ("" for
// none), for fields whose kinds of wrong a client tells apart.
func (v *Violations) AddReason(field string, reason FieldReason, format string, args ...any) {
	v.n++
	if len(v.list) >= MaxReported {
		return
	}
	args = slices.Clone(args) // the caller's slice stays as it was
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = cut(s, maxQuoted)
		}
	}
	v.list = append(v.list, &errdetails.BadRequest_FieldViolation{
		Field:       cut(field, 2*maxQuoted),
		Description: fmt.Sprintf(format, args...),
		Reason:      string(reason),
	})
}

// cut shortens s to at most n characters, marking the cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Len is the number of violations recorded so far.
func (v *Violations) Len() int { return v.n }

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
// request is fine, the draft is not). Past MaxReported violations the
// message and the detail end with a count of the rest.
func (v *Violations) Refuse(code codes.Code, reason Reason, prefix string) error {
	if v.n == 0 {
		return nil
	}
	msg := prefix + strings.Join(v.Lines(), "; ")
	list := v.list
	if more := v.n - len(v.list); more > 0 {
		msg += fmt.Sprintf("; and %d more not listed", more)
		list = append(list[:len(list):len(list)], &errdetails.BadRequest_FieldViolation{
			Field:       "",
			Description: fmt.Sprintf("%d more violations not listed; fix the ones above and try again", more),
		})
	}
	return &Error{Code: code, Reason: reason, Message: msg, Fields: list}
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
