package paging

import (
	"encoding/base64"
	"testing"
	"unicode/utf8"

	"github.com/wenming/wenming/internal/apierr"
)

func TestAForgedTokenCannotCarryANULOrBrokenUTF8(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"a\x00b", "a\xffb", "\x1b[2J"} {
		token := base64.RawURLEncoding.EncodeToString([]byte(tokenVersion + key))
		var v apierr.Violations
		Parse(&v, 10, token, 50, 200)
		if v.Len() != 1 {
			t.Errorf("token for key %q accepted", key)
		}
	}
}

// FuzzParse: whatever the token, Parse either refuses it naming
// page_token or yields a key that is valid UTF-8 without NUL, and a key
// always survives the round trip through Next.
func FuzzParse(f *testing.F) {
	f.Add("")
	f.Add(encode("0193a5b2-7c1e-7d3a-9f00-123456789abc"))
	f.Add("djE6")
	f.Add("not base64!")
	f.Fuzz(func(t *testing.T, token string) {
		var v apierr.Violations
		p := Parse(&v, 10, token, 50, 200)
		if v.Len() > 0 {
			return
		}
		if !utf8.ValidString(p.After) {
			t.Fatalf("token %q gave a key that is not UTF-8", token)
		}
		for _, r := range p.After {
			if r == 0 {
				t.Fatalf("token %q gave a key with NUL", token)
			}
		}
		if p.After != "" {
			var v2 apierr.Violations
			if again := Parse(&v2, 10, p.Next(10, p.After), 50, 200); again.After != p.After {
				t.Fatalf("key %q did not survive a round trip", p.After)
			}
		}
	})
}
