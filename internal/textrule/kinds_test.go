package textrule

import (
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
)

// A resident's open answer, a questionnaire's wording and an imported YAML
// file may hold newlines; a quiz option's text, which shares the plain
// name "text", may not.
func TestMultiLineFieldsAreClassifiedByFullName(t *testing.T) {
	field := func(m protoreflect.ProtoMessage, name protoreflect.Name) protoreflect.FieldDescriptor {
		fd := m.ProtoReflect().Descriptor().Fields().ByName(name)
		if fd == nil {
			t.Fatalf("%s has no field %s", m.ProtoReflect().Descriptor().FullName(), name)
		}
		return fd
	}
	for _, tc := range []struct {
		fd   protoreflect.FieldDescriptor
		want Kind
	}{
		{field(&surveyv1.Answer{}, "text"), MultiLine},
		{field(&surveyv1.Text{}, "zh"), MultiLine},
		{field(&surveyv1.ImportQuestionnaireRequest{}, "yaml"), MultiLine},
		{field(&quizv1.Option{}, "text"), Line},
	} {
		if got := KindOf(tc.fd); got != tc.want {
			t.Errorf("%s: kind %d, want %d", tc.fd.FullName(), got, tc.want)
		}
	}
}
