package feedback

import (
	"cmp"
	"slices"
	"time"

	"github.com/wenming/wenming/internal/scoring/stats"
	"github.com/wenming/wenming/internal/workcal"
)

// Agg is a sum of daily aggregate rows.
type Agg struct {
	N     int64
	Total int64
	// Counts[i] is the number of ratings at level i+1.
	Counts [5]int64
}

// Add adds b to a.
func (a *Agg) Add(b Agg) {
	a.N += b.N
	a.Total += b.Total
	for i := range a.Counts {
		a.Counts[i] += b.Counts[i]
	}
}

// DimAgg is the aggregate of one dimension.
type DimAgg struct {
	Key   string
	N     int64
	Total int64
}

// DimStats is the mean of one dimension.
type DimStats struct {
	Key   string
	Count int64
	Mean  float64
}

// Summary describes a set of ratings; every number a user sees about
// ratings is computed here.
type Summary struct {
	Count            int64
	Mean             float64
	Distribution     [5]int64
	SatisfactionRate float64 // levels 4–5 over all
	BadRate          float64 // levels 1–2 over all
	Dimensions       []DimStats
}

func mean(total, n int64) float64 {
	if n <= 0 {
		return 0
	}
	return float64(total) / float64(n)
}

// summarizeRatings turns rating aggregates into the numbers shown, with
// dimensions sorted by key. (stats.Summarize is another thing: it
// describes a sample of numbers.)
func summarizeRatings(a Agg, dims []DimAgg) Summary {
	n := int(a.N)
	s := Summary{
		Count: a.N, Mean: mean(a.Total, a.N), Distribution: a.Counts,
		SatisfactionRate: stats.Rate(int(a.Counts[3]+a.Counts[4]), n),
		BadRate:          stats.Rate(int(a.Counts[0]+a.Counts[1]), n),
	}
	for _, d := range dims {
		if d.N > 0 {
			s.Dimensions = append(s.Dimensions, DimStats{Key: d.Key, Count: d.N, Mean: mean(d.Total, d.N)})
		}
	}
	slices.SortFunc(s.Dimensions, func(x, y DimStats) int { return cmp.Compare(x.Key, y.Key) })
	return s
}

// Granularity is the bucket size of a trend.
type Granularity string

const (
	Daily   Granularity = "DAY"
	Weekly  Granularity = "WEEK"
	Monthly Granularity = "MONTH"
)

// bucketStart is the first day of the bucket d falls in: d itself, the
// Monday of its ISO week, or the 1st of its month.
func bucketStart(d workcal.Date, g Granularity) workcal.Date {
	switch g {
	case Weekly:
		back := (int(d.Weekday()) + 6) % 7 // Monday → 0 … Sunday → 6
		return d.AddDays(-back)
	case Monthly:
		return workcal.NewDate(d.Year, d.Month, 1)
	}
	return d
}

// Bucket is one point of a trend.
type Bucket struct {
	Start   workcal.Date
	Summary Summary
}

// Trend groups daily aggregates (keyed yyyymmdd) into buckets covering
// from..to, empty buckets included, oldest first.
func Trend(days map[int]Agg, from, to workcal.Date, g Granularity) []Bucket {
	var out []Bucket
	var cur Agg
	start := bucketStart(from, g)
	for d := from; !d.After(to); d = d.AddDays(1) {
		if b := bucketStart(d, g); b != start {
			out = append(out, Bucket{Start: start, Summary: summarizeRatings(cur, nil)})
			start, cur = b, Agg{}
		}
		cur.Add(days[dateKey(d)])
	}
	return append(out, Bucket{Start: start, Summary: summarizeRatings(cur, nil)})
}

func dateKey(d workcal.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// Candidate is a target with its aggregate, to be ranked.
type Candidate struct {
	TargetID, Name string
	Agg            Agg
}

// Ranked is one row of a ranking.
type Ranked struct {
	Rank int
	Candidate
	Mean, Bayesian, SatisfactionRate float64
	// SatisfactionLow is the Wilson 95% lower bound of SatisfactionRate.
	SatisfactionLow float64
}

// Ranking is the result of Rank.
type Ranking struct {
	Rows                   []Ranked
	PriorMean, PriorWeight float64
	MinCount               int
}

// Rank orders candidates by Bayesian average with the given prior weight;
// the prior mean is the mean over every rating of every candidate, and
// candidates with fewer than minCount ratings are left out of the rows (but
// not out of the prior). Ties go to the larger sample, then the id.
func Rank(cands []Candidate, priorWeight float64, minCount int) Ranking {
	var pool Agg
	for _, c := range cands {
		pool.Add(c.Agg)
	}
	out := Ranking{PriorMean: mean(pool.Total, pool.N), PriorWeight: priorWeight, MinCount: minCount}
	for _, c := range cands {
		if c.Agg.N < int64(max(minCount, 1)) {
			continue
		}
		s := summarizeRatings(c.Agg, nil)
		out.Rows = append(out.Rows, Ranked{
			Candidate: c, Mean: s.Mean, SatisfactionRate: s.SatisfactionRate,
			Bayesian:        stats.BayesianAverage(float64(c.Agg.Total), int(c.Agg.N), out.PriorMean, priorWeight),
			SatisfactionLow: stats.Wilson(int(c.Agg.Counts[3]+c.Agg.Counts[4]), int(c.Agg.N)).Lo,
		})
	}
	slices.SortFunc(out.Rows, func(a, b Ranked) int {
		if c := cmp.Compare(b.Bayesian, a.Bayesian); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Agg.N, a.Agg.N); c != 0 {
			return c
		}
		return cmp.Compare(a.TargetID, b.TargetID)
	})
	for i := range out.Rows {
		out.Rows[i].Rank = i + 1
	}
	return out
}

// Period is a span of local dates, both ends included.
type Period struct{ From, To workcal.Date }

// MaxPeriodDays bounds a statistics period (about ten years).
const MaxPeriodDays = 3700

// Bounds returns the instants the period starts and ends (exclusive) in loc.
func (p Period) Bounds(loc *time.Location) (time.Time, time.Time) {
	return p.From.In(loc), p.To.AddDays(1).In(loc)
}

// split is a period cut into whole months and the days around them.
type split struct {
	// days are yyyymmdd ranges, both ends included, read day by day.
	days [][2]int
	// months is a yyyymm range, both ends included, when hasMonths.
	months    [2]int
	hasMonths bool
}

// splitPeriod cuts p into the whole calendar months inside it and the days
// of the partial months at either end; with months false, or when no whole
// month fits, it is all days.
func splitPeriod(p Period, months bool) split {
	first := p.From
	if first.Day != 1 {
		first = workcal.NewDate(first.Year, first.Month+1, 1)
	}
	// last is the first day of the month after the last whole month.
	last := workcal.NewDate(p.To.Year, p.To.Month, 1)
	if p.To.AddDays(1).Day == 1 {
		last = p.To.AddDays(1)
	}
	if !months || !first.Before(last) {
		return split{days: [][2]int{{dateKey(p.From), dateKey(p.To)}}}
	}
	var sp split
	if p.From.Before(first) {
		sp.days = append(sp.days, [2]int{dateKey(p.From), dateKey(first.AddDays(-1))})
	}
	if last.Before(p.To) || last == p.To {
		sp.days = append(sp.days, [2]int{dateKey(last), dateKey(p.To)})
	}
	end := last.AddDays(-1)
	sp.months = [2]int{first.Year*100 + int(first.Month), end.Year*100 + int(end.Month)}
	sp.hasMonths = true
	return sp
}

// keyRange is a range of keys of one grain, both ends included.
type keyRange struct {
	g        grain
	from, to int
}

// ranges lists the aggregate reads that cover the split: each day range
// from the daily grain, then the months from the monthly one.
func (sp split) ranges() []keyRange {
	out := make([]keyRange, 0, len(sp.days)+1)
	for _, r := range sp.days {
		out = append(out, keyRange{daily, r[0], r[1]})
	}
	if sp.hasMonths {
		out = append(out, keyRange{monthly, sp.months[0], sp.months[1]})
	}
	return out
}
