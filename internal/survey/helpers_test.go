package survey

import (
	"math"
	"os"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
)

// town reads the test questionnaire in testdata/town.yaml.
func town(t *testing.T) *surveyv1.QuestionnaireContent {
	t.Helper()
	f, err := os.Open("testdata/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ParseQuestionnaireYAML(f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fields returns field → description of the violations in v.
func fields(v *apierr.Violations) map[string]string {
	out := map[string]string{}
	for _, d := range status.Convert(v.Err()).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				out[fv.GetField()] += fv.GetDescription()
			}
		}
	}
	return out
}

func wantField(t *testing.T, got map[string]string, field, text string) {
	t.Helper()
	if !strings.Contains(got[field], text) {
		t.Errorf("violation %q = %q, want it to mention %q (all: %v)", field, got[field], text, got)
	}
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (±%g)", what, got, want, tol)
	}
}

func val(x float64) *float64 { return &x }
