package quiz

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
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

// participationRow is one attempt as participation counts it.
type participationRow struct {
	Community string `db:"community"`
	Pseudonym string `db:"pseudonym"`
	StartTime int64  `db:"start_time"`
	State     string `db:"state"`
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

// countParticipation counts attempts started from..to (days in loc) into
// buckets of g, per community and for all: attempts, distinct
// participants (a person counted once per bucket, and once in a total
// however many buckets they played in), and attempts finished. Rows
// outside the period are ignored.
func countParticipation(rows []participationRow, from, to workcal.Date, g granularity, loc *time.Location) participation {
	p := participation{From: from, To: to, Starts: bucketStarts(from, to, g)}
	index := make(map[workcal.Date]int, len(p.Starts))
	for i, s := range p.Starts {
		index[s] = i
	}
	type tally struct {
		s      series
		seen   []map[string]bool // per bucket
		seenAt map[string]bool   // over the period
	}
	newTally := func(name string) *tally {
		t := &tally{s: series{Community: name, Buckets: make([]partCount, len(p.Starts))},
			seen: make([]map[string]bool, len(p.Starts)), seenAt: map[string]bool{}}
		for i := range t.seen {
			t.seen[i] = map[string]bool{}
		}
		return t
	}
	all := newTally("")
	byCommunity := map[string]*tally{}
	for _, r := range rows {
		day := workcal.DateOf(time.UnixMicro(r.StartTime).In(loc))
		if day.Before(from) || day.After(to) {
			continue
		}
		i := index[bucketStart(day, g)]
		c := byCommunity[r.Community]
		if c == nil {
			c = newTally(r.Community)
			byCommunity[r.Community] = c
		}
		for _, t := range []*tally{c, all} {
			b := &t.s.Buckets[i]
			b.Attempts++
			t.s.Total.Attempts++
			if attemptState(r.State) != inProgress {
				b.Finished++
				t.s.Total.Finished++
			}
			if !t.seen[i][r.Pseudonym] {
				t.seen[i][r.Pseudonym] = true
				b.Participants++
			}
			if !t.seenAt[r.Pseudonym] {
				t.seenAt[r.Pseudonym] = true
				t.s.Total.Participants++
			}
		}
	}
	p.All = all.s
	for _, t := range byCommunity {
		p.Communities = append(p.Communities, t.s)
	}
	slices.SortFunc(p.Communities, func(a, b series) int {
		if c := cmp.Compare(b.Total.Attempts, a.Total.Attempts); c != 0 {
			return c
		}
		return cmp.Compare(a.Community, b.Community)
	})
	return p
}

// participationRows reads the attempts of a contest started in
// [since, until) (Unix microseconds). It reads only the columns counted;
// the contest's attempts are found through the (contest_id, pseudonym,
// attempt_number) key.
func participationRows(ctx context.Context, db store.Queryer, contestID string, since, until int64) ([]participationRow, error) {
	var rows []participationRow
	err := db.SelectContext(ctx, &rows, db.Rebind(`SELECT community, pseudonym, start_time, state FROM attempts
		WHERE contest_id = ? AND start_time >= ? AND start_time < ?`), contestID, since, until)
	return rows, err
}

// Participation counts a contest's attempts from..to; a zero from or to
// means the contest's first day, or its last day (today, if earlier).
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
	rows, err := participationRows(ctx, s.db.R, c.ID, from.In(s.loc).UnixMicro(), to.AddDays(1).In(s.loc).UnixMicro())
	if err != nil {
		return participation{}, err
	}
	return countParticipation(rows, from, to, g, s.loc), nil
}

func errTooManyBuckets(g granularity) error {
	if g == byMonth {
		return apierr.Field("end_date", "the period has more than %d months; give a shorter one", maxParticipationBuckets)
	}
	return apierr.Field("granularity", "the period has more than %d buckets; choose a longer granularity or give a shorter period", maxParticipationBuckets)
}
