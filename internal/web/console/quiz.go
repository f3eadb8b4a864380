package console

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/web"
)

func (h *handler) quizRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/quiz", h.staff(h.contestList))
	mux.HandleFunc("GET "+Prefix+"/quiz/contests/{id}", h.staff(h.contestPage))
	mux.HandleFunc("GET "+Prefix+"/quiz/contests/{id}/tables/{file}", h.staff(h.contestTable))
}

func (h *handler) contestList(w http.ResponseWriter, r *http.Request, s *staff) {
	resp, err := quizv1.NewContestServiceClient(h.env.Conn).ListContests(web.CallContext(r, s.token), &quizv1.ListContestsRequest{PageSize: 200})
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	t := table{Name: "知识竞赛", ID: "contests", Caption: "知识竞赛", Base: Prefix + "/quiz",
		Cols: []column{{Label: "竞赛"}, {Label: "主办"}, {Label: "社区"}, {Label: "开始"}, {Label: "结束"}, {Label: "题数", Num: true}}}
	for _, c := range resp.GetContests() {
		st := c.GetSettings()
		t.Rows = append(t.Rows, []cell{link(st.GetTitle(), Prefix+"/quiz/contests/"+c.GetId()), text(st.GetOrganiser()),
			text(st.GetCommunity()), text(h.day(st.GetStartTime())), text(h.day(st.GetEndTime())), count(c.GetQuestionCount())})
	}
	h.render(w, r, s, http.StatusOK, "contests", "知识竞赛", roundsData{Rounds: t})
}

type contestView struct {
	ID    string
	Title string
	Stats *quizv1.GetContestStatisticsResponse
	Items table
	Hist  template.HTMLAttr
	// Participation over time: the granularity shown (day, week, month),
	// the chart and its tables.
	Gran            string
	PartChart       template.HTMLAttr
	PartTrend       table
	PartCommunities table
}

var flagNames = map[quizv1.ItemFlag]string{quizv1.ItemFlag_ITEM_FLAG_TOO_HARD: "过难",
	quizv1.ItemFlag_ITEM_FLAG_TOO_EASY: "过易", quizv1.ItemFlag_ITEM_FLAG_NON_DISCRIMINATING: "无区分度"}

func (h *handler) loadContest(r *http.Request, s *staff, id string) (*contestView, error) {
	ctx := web.CallContext(r, s.token)
	c, err := quizv1.NewContestServiceClient(h.env.Conn).GetContest(ctx, &quizv1.GetContestRequest{Id: id})
	if err != nil {
		return nil, err
	}
	st, err := quizv1.NewQuizStatsServiceClient(h.env.Conn).GetContestStatistics(ctx, &quizv1.GetContestStatisticsRequest{ContestId: id})
	if err != nil {
		return nil, err
	}
	cs := c.GetContest().GetSettings()
	gran := participationGran(r, cs.GetStartTime(), cs.GetEndTime(), h.env.Now())
	part, err := quizv1.NewQuizStatsServiceClient(h.env.Conn).GetParticipation(ctx, &quizv1.GetParticipationRequest{
		ContestId: id, Granularity: quizGrans[gran]})
	if err != nil {
		return nil, err
	}
	v := &contestView{ID: id, Title: cs.GetTitle(), Stats: st}
	participationParts(v, id, gran, part)
	v.Items = table{Name: v.Title + " 题目分析", ID: "items", Caption: "题目分析", Base: Prefix + "/quiz/contests/" + id,
		Cols: []column{{Label: "题目"}, {Label: "分类"}, {Label: "出现", Num: true}, {Label: "作答", Num: true}, {Label: "答对", Num: true},
			{Label: "难度（答对率）", Num: true}, {Label: "95% 下限", Num: true}, {Label: "95% 上限", Num: true},
			{Label: "区分度", Num: true}, {Label: "选项（* 为正确）"}, {Label: "标记"}}}
	for _, it := range st.GetItems() {
		var opts, flags []string
		for _, o := range it.GetOptions() {
			mark := ""
			if o.GetCorrect() {
				mark = "*"
			}
			opts = append(opts, fmt.Sprintf("%s%s:%d", o.GetKey(), mark, o.GetCount()))
		}
		for _, f := range it.GetFlags() {
			flags = append(flags, flagNames[f])
		}
		disc := text("样本不足")
		if it.GetDiscriminationAvailable() {
			disc = num(it.GetDiscrimination(), 3)
		}
		v.Items.Rows = append(v.Items.Rows, []cell{text(it.GetStem()), text(it.GetCategory()), count(it.GetShown()),
			count(it.GetAnswered()), count(it.GetCorrect()), num(it.GetFacility(), 3), num(it.GetFacilityCi().GetLo(), 3),
			num(it.GetFacilityCi().GetHi(), 3), disc, text(strings.Join(opts, " ")), text(strings.Join(flags, "、"))})
	}
	var cats []string
	var vals []int32
	for _, b := range st.GetHistogram() {
		cats = append(cats, fixed(b.GetLo(), 0)+"–"+fixed(b.GetHi(), 0))
		vals = append(vals, b.GetCount())
	}
	v.Hist = chartAttr(map[string]any{"kind": "hist", "categories": cats, "values": vals, "xName": "得分", "yName": "人次"})
	return v, nil
}

func (h *handler) contestPage(w http.ResponseWriter, r *http.Request, s *staff) {
	v, err := h.loadContest(r, s, r.PathValue("id"))
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.render(w, r, s, http.StatusOK, "contest", v.Title, v)
}

func (h *handler) contestTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		v, err := h.loadContest(r, s, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		return []table{v.Items, v.PartTrend, v.PartCommunities}, nil
	})
}
