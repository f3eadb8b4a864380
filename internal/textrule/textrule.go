package textrule

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/wenming/wenming/internal/apierr"
)

// Kind is what a string field holds, which decides the characters it may
// contain.
type Kind int

const (
	// Line is a name, title, label or other one-line text.
	Line Kind = iota
	// MultiLine is free text where newlines and tabs are normal: comments,
	// notes, question stems, imported files.
	MultiLine
	// ID is a resource id or code: UUIDs, framework item codes.
	ID
	// Token is an opaque page token (base64url).
	Token
)

// MaxIDLen bounds ids; UUIDs are 36 bytes, framework codes at most 32.
const MaxIDLen = 128

// multiLine names the fields where a person writes paragraphs or pastes
// a file.
var multiLine = map[protoreflect.Name]bool{
	"comment": true, "note": true, "notes": true, "stem": true,
	"explanation": true, "description": true, "reason": true,
	"na_reason": true, "evidence": true, "appeal_evidence": true,
	"guidance": true, "csv": true, "content": true, "yaml": true,
}

// multiLineFields are multi-line fields whose plain name is a one-line
// text elsewhere (an option's "text" is one line; a resident's open answer
// to a questionnaire, or a questionnaire's wording, may run to paragraphs).
var multiLineFields = map[protoreflect.FullName]bool{
	"wenming.survey.v1.Answer.text": true,
	"wenming.survey.v1.Text.zh":     true,
	"wenming.survey.v1.Text.second": true,
}

// KindOf classifies a string field by its name.
func KindOf(fd protoreflect.FieldDescriptor) Kind {
	name := fd.Name()
	switch {
	case name == "request_id":
		// A caller-chosen AIP-155 key: any one-line text; each domain
		// bounds its length.
		return Line
	case name == "page_token" || name == "next_page_token":
		return Token
	case name == "id" || strings.HasSuffix(string(name), "_id") || strings.HasSuffix(string(name), "_ids"):
		return ID
	case multiLine[name] || multiLineFields[fd.FullName()]:
		return MultiLine
	}
	return Line
}

// Problem says what is wrong with s as a value of kind k, or "" when it
// obeys the rule. It never quotes s, so a reply cannot echo what it
// refuses.
func Problem(k Kind, s string) string {
	switch k {
	case ID:
		return alphabet(s, MaxIDLen, idByte, "an id: letters, digits, '.', '_' and '-' only")
	case Token:
		return alphabet(s, 1024, tokenByte, "a page token returned by this service")
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !validAt(s, i):
			return "is not valid UTF-8"
		case r == 0:
			return "contains a NUL character"
		case (r == '\n' || r == '\r' || r == '\t') && k == MultiLine:
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return fmt.Sprintf("contains the control character U+%04X", r)
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return fmt.Sprintf("contains the bidi control character U+%04X, which can disguise text", r)
		}
	}
	return ""
}

// validAt reports whether the rune at s[i] is a real U+FFFD rather than a
// decoding error.
func validAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 3
}

func alphabet(s string, max int, ok func(byte) bool, what string) string {
	if len(s) > max {
		return fmt.Sprintf("is %d bytes long; the limit is %d", len(s), max)
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return "is not " + what
		}
	}
	return ""
}

func idByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
}

func tokenByte(c byte) bool { return idByte(c) && c != '.' || c == '=' }

// Check walks msg and records every string that breaks the rule in v, by
// its field path (snake_case, "options[2].text", "labels[\"k\"]").
func Check(v *apierr.Violations, msg protoreflect.Message) {
	walk(v, "", msg)
}

func walk(v *apierr.Violations, prefix string, m protoreflect.Message) {
	m.Range(func(fd protoreflect.FieldDescriptor, val protoreflect.Value) bool {
		path := prefix + string(fd.Name())
		switch {
		case fd.IsMap():
			walkMap(v, path, fd, val.Map())
		case fd.IsList():
			l := val.List()
			for i := 0; i < l.Len(); i++ {
				one(v, fmt.Sprintf("%s[%d]", path, i), fd, l.Get(i))
			}
		default:
			one(v, path, fd, val)
		}
		return true
	})
}

func walkMap(v *apierr.Violations, path string, fd protoreflect.FieldDescriptor, m protoreflect.Map) {
	kfd, vfd := fd.MapKey(), fd.MapValue()
	m.Range(func(k protoreflect.MapKey, val protoreflect.Value) bool {
		elem := path + "[]"
		if kfd.Kind() == protoreflect.StringKind {
			if p := Problem(KindOf(fd), k.String()); p != "" {
				v.Add(path, "has a key that %s", strings.TrimPrefix(p, "is "))
				return true
			}
			elem = fmt.Sprintf("%s[%q]", path, k.String())
		}
		one(v, elem, vfd, val)
		return true
	})
}

func one(v *apierr.Violations, path string, fd protoreflect.FieldDescriptor, val protoreflect.Value) {
	switch fd.Kind() {
	case protoreflect.StringKind:
		if p := Problem(KindOf(fd), val.String()); p != "" {
			v.Add(path, "%s", p)
		}
	case protoreflect.MessageKind, protoreflect.GroupKind:
		walk(v, path+".", val.Message())
	}
}
