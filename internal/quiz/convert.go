package quiz

import (
	"strconv"

	"google.golang.org/protobuf/types/known/timestamppb"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
)

// typeNames maps wire enums to stored names; unknown values map to "".
var typeNames = map[quizv1.QuestionType]string{
	quizv1.QuestionType_QUESTION_TYPE_SINGLE_CHOICE:   singleChoice,
	quizv1.QuestionType_QUESTION_TYPE_MULTIPLE_CHOICE: multipleChoice,
	quizv1.QuestionType_QUESTION_TYPE_TRUE_FALSE:      trueFalse,
}

var difficultyNames = map[quizv1.Difficulty]difficulty{
	quizv1.Difficulty_DIFFICULTY_UNSPECIFIED: "",
	quizv1.Difficulty_DIFFICULTY_EASY:        easy,
	quizv1.Difficulty_DIFFICULTY_MEDIUM:      medium,
	quizv1.Difficulty_DIFFICULTY_HARD:        hard,
}

func typeFromProto(t quizv1.QuestionType) string { return typeNames[t] }

func typeToProto(s string) quizv1.QuestionType {
	for k, v := range typeNames {
		if v == s {
			return k
		}
	}
	return quizv1.QuestionType_QUESTION_TYPE_UNSPECIFIED
}

func difficultyFromProto(d quizv1.Difficulty) difficulty {
	if v, ok := difficultyNames[d]; ok {
		return v
	}
	return difficulty("UNKNOWN(" + strconv.Itoa(int(d)) + ")")
}

func difficultyToProto(d difficulty) quizv1.Difficulty {
	for k, v := range difficultyNames {
		if v == d && v != "" {
			return k
		}
	}
	return quizv1.Difficulty_DIFFICULTY_UNSPECIFIED
}

func contentFromProto(p *quizv1.QuestionContent) Content {
	if p == nil {
		return Content{}
	}
	c := Content{
		Category: p.GetCategory(), Type: typeFromProto(p.GetType()), Stem: p.GetStem(),
		CorrectKeys: append([]string(nil), p.GetCorrectKeys()...), Explanation: p.GetExplanation(),
		Difficulty: difficultyFromProto(p.GetDifficulty()),
	}
	for _, o := range p.GetOptions() {
		c.Options = append(c.Options, option{Key: o.GetKey(), Text: o.GetText()})
	}
	return c
}

func questionToProto(q question) *quizv1.Question {
	p := &quizv1.Question{
		Id: q.ID, Version: int32(q.Version), Category: q.Category, Type: typeToProto(q.Type),
		Stem: q.Stem, CorrectKeys: q.CorrectKeys, Explanation: q.Explanation,
		Difficulty: difficultyToProto(q.Difficulty),
		CreateTime: timestamppb.New(q.CreateTime), UpdateTime: timestamppb.New(q.UpdateTime),
		State: quizv1.QuestionState_QUESTION_STATE_ACTIVE,
	}
	if q.State == retired {
		p.State = quizv1.QuestionState_QUESTION_STATE_RETIRED
	}
	for _, o := range q.Options {
		p.Options = append(p.Options, &quizv1.Option{Key: o.Key, Text: o.Text})
	}
	return p
}
