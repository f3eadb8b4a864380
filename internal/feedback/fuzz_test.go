package feedback

import (
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/apierr"
)

// FuzzParseTargetsYAML: no targets file, however broken, panics the
// importer.
func FuzzParseTargetsYAML(f *testing.F) {
	f.Add(goodTargets)
	f.Add("targets:\n  - {kind: DEPARTMENT, nmae: x}\n")
	f.Add("targets: [{kind: WINDOW, name: 窗口, children: [{kind: WINDOW, name: 窗中窗}]}]")
	f.Add("&a [*a, *a]")
	f.Fuzz(func(t *testing.T, file string) {
		_, _ = ParseTargetsYAML(strings.NewReader(file))
	})
}

// FuzzRatingValidate: a rating's validation never panics, and a rating
// it accepts has a level from 1 to 5 and a target.
func FuzzRatingValidate(f *testing.F) {
	f.Add("0193a5b2-7c1e-7d3a-9f00-123456789abc", 4, "attitude", 5, "快", "很好", "13800138000")
	f.Add("", 0, "", -1, "", "", "")
	f.Fuzz(func(t *testing.T, target string, level int, dim string, dimLevel int, tag, comment, contact string) {
		in := RatingInput{TargetID: target, Level: level, Dimensions: []DimLevel{{Key: dim, Level: dimLevel}},
			Tags: []string{tag}, Comment: comment, Contact: contact}
		in.Normalize()
		var v apierr.Violations
		in.Validate(&v)
		if v.Len() == 0 && (level < 1 || level > 5 || in.TargetID == "") {
			t.Fatalf("accepted level %d for target %q", level, in.TargetID)
		}
	})
}
