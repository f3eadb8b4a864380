package survey

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/store"
)

func stamp(us int64) *timestamppb.Timestamp {
	if us == 0 {
		return nil
	}
	return timestamppb.New(store.FromMicros(us))
}

func questionnaireToProto(q Questionnaire) *surveyv1.Questionnaire {
	state := surveyv1.QuestionnaireState_QUESTIONNAIRE_STATE_DRAFT
	if q.State == statePublished {
		state = surveyv1.QuestionnaireState_QUESTIONNAIRE_STATE_PUBLISHED
	}
	return &surveyv1.Questionnaire{
		Id: q.ID, Version: int32(q.Version), State: state, Content: q.Content,
		CreateTime: stamp(q.CreateTime), PublishTime: stamp(q.PublishTime),
	}
}
