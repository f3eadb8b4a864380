package feedback

import (
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/apierr"
)

func TestTargetInputValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		in     TargetInput
		fields []string
	}{
		{"ok department", TargetInput{Kind: Department, Name: "机关食堂"}, nil},
		{"ok window", TargetInput{Kind: window, Name: "1号窗口", ParentID: "p"}, nil},
		{"window without parent", TargetInput{Kind: window, Name: "1号窗口"}, []string{"parent_id"}},
		{"no kind, no name", TargetInput{}, []string{"kind", "name"}},
		{"long name", TargetInput{Kind: Department, Name: strings.Repeat("长", maxNameLen+1)}, []string{"name"}},
		{"bad form", TargetInput{Kind: Department, Name: "x", Form: Form{
			Dimensions: []dimension{{Key: "Attitude", Label: "服务态度"}, {Key: "speed"}, {Key: "speed", Label: "速度"}},
			Tags:       []string{"好", "好", ""},
		}}, []string{"form.dimensions[0].key", "form.dimensions[1].label", "form.dimensions[2].key", "form.tags[1]", "form.tags[2]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v apierr.Violations
			tc.in.Normalize()
			tc.in.Validate(&v, "")
			if tc.fields == nil {
				if err := v.Err(); err != nil {
					t.Fatal(err)
				}
				return
			}
			wantInvalid(t, v.Err(), tc.fields...)
		})
	}
}

func TestRatingInputValidation(t *testing.T) {
	t.Parallel()
	ok := func() RatingInput {
		return RatingInput{TargetID: "t", Level: 4, Dimensions: []DimLevel{{Key: "attitude", Level: 5}}, Tags: []string{"态度热情"}}
	}
	for _, tc := range []struct {
		name   string
		edit   func(*RatingInput)
		fields []string
	}{
		{"ok", func(*RatingInput) {}, nil},
		{"level 0", func(r *RatingInput) { r.Level = 0 }, []string{"level"}},
		{"level 6", func(r *RatingInput) { r.Level = 6 }, []string{"level"}},
		{"no target", func(r *RatingInput) { r.TargetID = " " }, []string{"target_id"}},
		{"dimension twice and out of range", func(r *RatingInput) {
			r.Dimensions = []DimLevel{{Key: "attitude", Level: 5}, {Key: "attitude", Level: 9}}
		}, []string{"dimensions[1].key", "dimensions[1].level"}},
		{"long comment", func(r *RatingInput) { r.Comment = strings.Repeat("差", maxCommentLen+1) }, []string{"comment"}},
		{"too many tags", func(r *RatingInput) { r.Tags = strings.Split("a b c d e f g h i j k", " ") }, []string{"tags"}},
		{"bad channel", func(r *RatingInput) { r.Channel = "FAX" }, []string{"channel"}},
		{"long contact", func(r *RatingInput) { r.Contact = strings.Repeat("1", MaxContactLen+1) }, []string{"contact"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok()
			tc.edit(&in)
			in.Normalize()
			var v apierr.Violations
			in.Validate(&v)
			if tc.fields == nil {
				if err := v.Err(); err != nil {
					t.Fatal(err)
				}
				if in.Channel != Web {
					t.Errorf("channel defaults to %q, want WEB", in.Channel)
				}
				return
			}
			wantInvalid(t, v.Err(), tc.fields...)
		})
	}
}

func TestRatingCheckedAgainstForm(t *testing.T) {
	t.Parallel()
	in := RatingInput{Dimensions: []DimLevel{{Key: "attitude", Level: 4}, {Key: "taste", Level: 2}}, Tags: []string{"态度热情", "好吃"}}
	var v apierr.Violations
	in.CheckForm(&v, defaultForm)
	wantInvalid(t, v.Err(), "dimensions[1].key", "tags[1]")
	if v.Len() != 2 {
		t.Errorf("%d violations, want 2: %v", v.Len(), v.Lines())
	}
}

func TestSealerRoundTripAndBinding(t *testing.T) {
	t.Parallel()
	s, err := newSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.seal("r1", "13800000000")
	b, _ := s.seal("r1", "13800000000")
	if string(a) == string(b) || strings.Contains(string(a), "13800000000") {
		t.Fatal("sealing must use a fresh nonce and hide the contact")
	}
	if got, err := s.open("r1", a); err != nil || got != "13800000000" {
		t.Fatalf("open = %q, %v", got, err)
	}
	if _, err := s.open("r2", a); err == nil {
		t.Fatal("a contact moved to another rating must not open")
	}
	if _, err := newSealer(make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte key must be refused")
	}
}
