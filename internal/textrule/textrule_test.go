package textrule

import (
	"strings"
	"testing"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
)

func TestProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		kind Kind
		s    string
		want string // substring of the problem; "" = accepted
	}{
		{"Chinese name", Line, "文明礼仪知识竞赛 第3期", ""},
		{"real U+FFFD is text", Line, "a\ufffdb", ""},
		{"emoji", Line, "很好👍", ""},
		{"NUL in a name", Line, "张\x00三", "NUL"},
		{"NUL in a comment", MultiLine, "好\x00", "NUL"},
		{"terminal escape", Line, "\x1b[2J王五", "U+001B"},
		{"DEL", Line, "a\x7f", "U+007F"},
		{"C1 control", Line, "a\u0085", "U+0085"},
		{"newline in a name", Line, "a\nb", "U+000A"},
		{"tab in a name", Line, "a\tb", "U+0009"},
		{"newline, CR and tab in a comment", MultiLine, "第一行\r\n\t第二行", ""},
		{"bidi override in a name", Line, "abc\u202egpj.exe", "bidi"},
		{"bidi isolate in a comment", MultiLine, "x\u2067y", "bidi"},
		{"invalid UTF-8", Line, "ab\xffcd", "UTF-8"},
		{"truncated UTF-8", MultiLine, "中\xe6\x96", "UTF-8"},
		{"UUID", ID, "0193a5b2-7c1e-7d3a-9f00-123456789abc", ""},
		{"framework code", ID, "A1.2_b-3", ""},
		{"space in an id", ID, "a b", "not an id"},
		{"Chinese in an id", ID, "站点", "not an id"},
		{"NUL in an id", ID, "a\x00", "not an id"},
		{"long id", ID, strings.Repeat("a", MaxIDLen+1), "limit is 128"},
		{"page token", Token, "djE6MDE5M2E1YjI", ""},
		{"dot in a page token", Token, "a.b", "page token"},
	}
	for _, tt := range tests {
		got := Problem(tt.kind, tt.s)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: Problem = %q, want %q", tt.name, got, tt.want)
		}
		if got != "" && len(tt.s) > 3 && strings.Contains(got, tt.s) {
			t.Errorf("%s: the problem echoes the value: %q", tt.name, got)
		}
	}
}

func TestCheckNamesEveryOffendingFieldByPath(t *testing.T) {
	t.Parallel()
	req := &feedbackv1.SubmitRatingRequest{
		TargetId:   "t\x00",
		Comment:    "很好\n谢谢",
		Tags:       []string{"快", "\x1b[31m红"},
		Dimensions: []*feedbackv1.DimensionLevel{{Key: "attitude"}, {Key: "eff\u202eiciency"}},
		RequestId:  "ok-1",
	}
	var v apierr.Violations
	Check(&v, req.ProtoReflect())
	got := strings.Join(v.Lines(), "\n")
	for _, field := range []string{"target_id: ", "tags[1]: ", "dimensions[1].key: "} {
		if !strings.Contains(got, field) {
			t.Errorf("no violation for %s in:\n%s", field, got)
		}
	}
	if v.Len() != 3 {
		t.Errorf("%d violations, want 3:\n%s", v.Len(), got)
	}
}
