package quiz

import (
	"os"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/apierr"
)

// FuzzParseQuestions: no question file, however broken, panics the
// importer, and whatever it accepts passes the same validation as a
// question created one by one.
func FuzzParseQuestions(f *testing.F) {
	demo, err := os.ReadFile("../demo/questions.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("yaml", string(demo))
	f.Add("yaml", "questions:\n  - {category: 礼仪, type: TRUE_FALSE, stem: 对吗？, correct: [A]}\n")
	f.Add("csv", "category,type,difficulty,stem,options,correct,explanation\n交通出行,SINGLE_CHOICE,EASY,红灯时应当？,停在线外等候|快速通过,A,红灯停。\n")
	f.Add("csv", "stem,category\n\"unterminated,x\n")
	f.Add("csv", "\ufeffcategory,type,stem,correct\n公共秩序,TRUE_FALSE,在图书馆可以大声接打电话。,B\n")
	f.Fuzz(func(t *testing.T, format, content string) {
		qs, err := parseQuestions(format, content)
		if err != nil {
			return
		}
		for i := range qs {
			var v apierr.Violations
			qs[i].Validate(&v, "question")
			if v.Len() > 0 {
				t.Fatalf("parsed question %d fails validation: %v", i, v.Lines())
			}
		}
	})
}

// FuzzContestSettingsValidate: validation never panics on any settings a
// caller can send.
func FuzzContestSettingsValidate(f *testing.F) {
	f.Add("知识竞赛", "东湖社区", int64(600), 1, 1000, "q1", "ALL_OR_NOTHING")
	f.Add("", "", int64(-1), 0, 0, "", "")
	f.Fuzz(func(t *testing.T, title, community string, limitSeconds int64, attempts, pointsCenti int, qid, policy string) {
		s := Settings{Title: title, Community: community, TimeLimit: time.Duration(limitSeconds) * time.Second,
			AttemptsAllowed: attempts, PointsCenti: pointsCenti, FixedQuestions: []string{qid}, MultiPolicy: policy,
			StartTime: time.Unix(0, 0), EndTime: time.Unix(limitSeconds, 0)}
		var v apierr.Violations
		s.Validate(&v, "settings")
		_ = v.Err()
	})
}
