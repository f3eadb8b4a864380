package textrule

import (
	"strings"
	"testing"
	"unicode/utf8"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
)

// FuzzCheck: whatever strings a request carries, Check never panics and
// what it lets through is valid UTF-8 without NUL, with controls only as
// line breaks and tabs of the multi-line comment, and without bidi
// controls; its ids hold only the id alphabet.
func FuzzCheck(f *testing.F) {
	f.Add("0193a5b2-7c1e-7d3a-9f00-123456789abc", "很好\n谢谢", "快", "attitude")
	f.Add("t\x00", "\x1b[2J", "a\u202eb", "\xff")
	f.Fuzz(func(t *testing.T, target, comment, tag, dim string) {
		req := &feedbackv1.SubmitRatingRequest{TargetId: target, Comment: comment, Tags: []string{tag},
			Dimensions: []*feedbackv1.DimensionLevel{{Key: dim}}}
		var v apierr.Violations
		Check(&v, req.ProtoReflect())
		if v.Len() > 0 {
			return
		}
		for _, s := range []string{target, comment, tag, dim} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || strings.ContainsAny(s, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
				t.Fatalf("accepted %q", s)
			}
		}
		for _, s := range []string{target, tag, dim} {
			if strings.ContainsAny(s, "\n\r\t\x1b\x7f") {
				t.Fatalf("accepted a control character in a one-line field: %q", s)
			}
		}
		if strings.Trim(target, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "" {
			t.Fatalf("accepted id %q", target)
		}
	})
}
