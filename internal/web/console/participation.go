package console

import (
	"net/http"
	"net/url"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
)

// partLines is how many communities the participation chart draws a line
// for (most attempts first); the table lists them all.
const partLines = 5

var quizGrans = map[string]quizv1.Granularity{
	"day": quizv1.Granularity_GRANULARITY_DAY, "week": quizv1.Granularity_GRANULARITY_WEEK,
	"month": quizv1.Granularity_GRANULARITY_MONTH,
}

// participationGran is the page's ?g=, or by default the finest
// granularity that keeps the contest's window to a readable chart: days
// up to two months, weeks up to 400, months beyond.
func participationGran(r *http.Request, start, end *timestamppb.Timestamp, now time.Time) string {
	if g := r.URL.Query().Get("g"); quizGrans[g] != 0 {
		return g
	}
	last := end.AsTime()
	if now.Before(last) {
		last = now
	}
	switch days := last.Sub(start.AsTime()).Hours() / 24; {
	case days <= 62:
		return "day"
	case days <= 7*400:
		return "week"
	}
	return "month"
}

// participationParts builds the contest page's participation chart and
// its two tables (per bucket for all communities, per community for the
// period) from GetParticipation.
func participationParts(v *contestView, id, gran string, p *quizv1.GetParticipationResponse) {
	base, qs := Prefix+"/quiz/contests/"+id, "?"+url.Values{"g": {gran}}.Encode()
	period := p.GetStartDate() + "至" + p.GetEndDate()
	num := func(l string) column { return column{Label: l, Num: true} }
	v.Gran = gran
	v.PartTrend = table{Name: v.Title + " 参与趋势 " + period, ID: "participation", Caption: "参与趋势（" + granNames[gran] + "，全部社区）",
		Base: base, Query: qs, Cols: []column{{Label: "起始日期"}, num("答卷数"), num("参与人数"), num("完成数")}}
	for i, start := range p.GetBucketStarts() {
		b := p.GetAll().GetBuckets()[i]
		v.PartTrend.Rows = append(v.PartTrend.Rows, []cell{text(start), count(b.GetAttempts()), count(b.GetParticipants()), count(b.GetFinished())})
	}
	v.PartCommunities = table{Name: v.Title + " 各社区参与 " + period, ID: "communities", Caption: "各社区参与（" + period + "）",
		Base: base, Query: qs, Cols: []column{{Label: "社区"}, num("答卷数"), num("参与人数"), num("完成数")}}
	for _, c := range p.GetCommunities() {
		t := c.GetTotal()
		v.PartCommunities.Rows = append(v.PartCommunities.Rows, []cell{text(communityName(c.GetCommunity())),
			count(t.GetAttempts()), count(t.GetParticipants()), count(t.GetFinished())})
	}
	all := make([]int32, 0, len(p.GetBucketStarts()))
	for _, b := range p.GetAll().GetBuckets() {
		all = append(all, b.GetAttempts())
	}
	type line struct {
		Name   string  `json:"name"`
		Values []int32 `json:"values"`
	}
	var lines []line
	for i, c := range p.GetCommunities() {
		if i == partLines {
			break
		}
		l := line{Name: communityName(c.GetCommunity())}
		for _, b := range c.GetBuckets() {
			l.Values = append(l.Values, b.GetAttempts())
		}
		lines = append(lines, l)
	}
	v.PartChart = chartAttr(map[string]any{"kind": "participation", "categories": p.GetBucketStarts(), "all": all, "lines": lines})
}

func communityName(c string) string {
	if c == "" {
		return "（未填社区）"
	}
	return c
}
