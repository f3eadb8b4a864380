package quiz

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/workcal"
)

// granularity is the bucket size of a participation series.
type granularity int

const (
	byDay granularity = iota + 1
	byWeek
	byMonth
)

// maxParticipationBuckets bounds one series: a year and a bit of days.
const maxParticipationBuckets = 400

// bucketStart is the first day of the bucket d falls in: d itself, the
// Monday of its ISO week, or the 1st of its month.
func bucketStart(d workcal.Date, g granularity) workcal.Date {
	switch g {
	case byWeek:
		return d.AddDays(-((int(d.Weekday()) + 6) % 7)) // Monday → 0 … Sunday → 6
	case byMonth:
		return workcal.NewDate(d.Year, d.Month, 1)
	}
	return d
}

// bucketStarts lists the buckets covering from..to, oldest first.
func bucketStarts(from, to workcal.Date, g granularity) []workcal.Date {
	var out []workcal.Date
	for b := bucketStart(from, g); !b.After(to); {
		out = append(out, b)
		switch g {
		case byWeek:
			b = b.AddDays(7)
		case byMonth:
			b = workcal.NewDate(b.Year, b.Month+1, 1)
		default:
			b = b.AddDays(1)
		}
	}
	return out
}

// partCount is what happened in one bucket, or a whole period.
type partCount struct{ Attempts, Participants, Finished int }

// series is one community's participation (or every community's).
type series struct {
	Community string
	Total     partCount
	Buckets   []partCount
}

// participation is a contest's attempts counted by community and bucket.
type participation struct {
	From, To    workcal.Date
	Starts      []workcal.Date
	Communities []series
	All         series
}

// countParticipation adds a contest's days (participationDays) from..to
// into buckets of g, per community and for all: attempts started,
// participants — those whose first attempt in the contest started then
// and there, so every person counts once, in the community and bucket
// they first played in, and the counts add up across buckets and
// communities — and attempts finished (started, less those still
// running). Days outside the period are ignored.
func countParticipation(days []participationDay, from, to workcal.Date, g granularity) participation {
	p := participation{From: from, To: to, Starts: bucketStarts(from, to, g)}
	index := make(map[workcal.Date]int, len(p.Starts))
	for i, s := range p.Starts {
		index[s] = i
	}
	newSeries := func(name string) *series {
		return &series{Community: name, Buckets: make([]partCount, len(p.Starts))}
	}
	all := newSeries("")
	byCommunity := map[string]*series{}
	for _, d := range days {
		day := dateOfNumber(d.Day)
		if day.Before(from) || day.After(to) {
			continue
		}
		i := index[bucketStart(day, g)]
		c := byCommunity[d.Community]
		if c == nil {
			c = newSeries(d.Community)
			byCommunity[d.Community] = c
		}
		for _, s := range []*series{c, all} {
			for _, n := range []*partCount{&s.Buckets[i], &s.Total} {
				n.Attempts += d.Attempts
				n.Participants += d.First
				n.Finished += d.Attempts - d.Running
			}
		}
	}
	p.All = *all
	for _, s := range byCommunity {
		p.Communities = append(p.Communities, *s)
	}
	slices.SortFunc(p.Communities, func(a, b series) int {
		if c := cmp.Compare(b.Total.Attempts, a.Total.Attempts); c != 0 {
			return c
		}
		return cmp.Compare(a.Community, b.Community)
	})
	return p
}

// Participation counts a contest's attempts from..to; a zero from or to
// means the contest's first day, or its last day (today, if earlier). It
// reads the contest's days (participationDays) and its running attempts,
// never every attempt.
func (s *Service) Participation(ctx context.Context, contestID string, from, to workcal.Date, g granularity) (participation, error) {
	c, err := getContest(ctx, s.db.R, contestID)
	if err != nil {
		return participation{}, err
	}
	if err := s.play.Sweep(ctx, c.ID); err != nil {
		return participation{}, err
	}
	if from.IsZero() {
		from = workcal.DateOf(c.StartTime.In(s.loc))
	}
	if to.IsZero() {
		last := c.EndTime.Add(-time.Microsecond)
		if now := s.now(); now.Before(last) {
			last = now
		}
		to = workcal.DateOf(last.In(s.loc))
		if to.Before(from) {
			to = from
		}
	}
	if len(bucketStarts(from, to, g)) > maxParticipationBuckets {
		return participation{}, errTooManyBuckets(g)
	}
	days, err := participationDays{}.read(ctx, s.db.R, c.ID, from, to)
	if err != nil {
		return participation{}, err
	}
	running, err := participationDays{}.running(ctx, s.db.R, c.ID, s.loc)
	if err != nil {
		return participation{}, err
	}
	for i := range days {
		days[i].Running = running[[2]any{days[i].Community, days[i].Day}]
	}
	return countParticipation(days, from, to, g), nil
}

func errTooManyBuckets(g granularity) error {
	if g == byMonth {
		return apierr.Field("end_date", "the period has more than %d months; give a shorter one", maxParticipationBuckets)
	}
	return apierr.Field("granularity", "the period has more than %d buckets; choose a longer granularity or give a shorter period", maxParticipationBuckets)
}
