package workcal

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestParseDateAcceptsOnlyRealYYYYMMDD(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-10-01", want: Date{2026, 10, 1}},
		{in: "2028-02-29", want: Date{2028, 2, 29}}, // leap year
		{in: "2026-02-29", wantErr: true},           // not a leap year
		{in: "2026-02-30", wantErr: true},
		{in: "2026-13-01", wantErr: true},
		{in: "2026-1-1", wantErr: true},
		{in: "26-01-01", wantErr: true},
		{in: "2026-01-01T00:00:00Z", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, want error", tt.in, got)
				}
				if !strings.Contains(err.Error(), "YYYY-MM-DD") {
					t.Errorf("error %q does not say the expected format", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateArithmeticCrossesMonthsAndYears(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    Date
		n    int
		want Date
	}{
		{"next day", Date{2026, 3, 13}, 1, Date{2026, 3, 14}},
		{"end of February", Date{2026, 2, 28}, 1, Date{2026, 3, 1}},
		{"end of year", Date{2026, 12, 31}, 1, Date{2027, 1, 1}},
		{"backwards over year", Date{2026, 1, 1}, -1, Date{2025, 12, 31}},
		{"a whole year", Date{2026, 1, 1}, 365, Date{2027, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.d.AddDays(tt.n); got != tt.want {
				t.Errorf("%v.AddDays(%d) = %v, want %v", tt.d, tt.n, got, tt.want)
			}
		})
	}
}

func TestDateWeekdayCompareAndValidity(t *testing.T) {
	t.Parallel()
	// 2026-01-01 is a Thursday; 2026-10-01 a Thursday; 2026-10-10 a Saturday.
	for d, want := range map[Date]time.Weekday{
		{2026, 1, 1}:   time.Thursday,
		{2026, 10, 1}:  time.Thursday,
		{2026, 10, 10}: time.Saturday,
		{2026, 9, 20}:  time.Sunday,
	} {
		if got := d.Weekday(); got != want {
			t.Errorf("%v.Weekday() = %v, want %v", d, got, want)
		}
	}
	a, b := Date{2026, 9, 30}, Date{2026, 10, 1}
	if !a.Before(b) || a.After(b) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Errorf("comparison of %v and %v is wrong", a, b)
	}
	if (Date{2026, 2, 30}).IsValid() || (Date{}).IsValid() || !(Date{2026, 2, 28}).IsValid() {
		t.Error("IsValid disagrees with the calendar")
	}
	if got := NewDate(2026, 9, 31); got != (Date{2026, 10, 1}) {
		t.Errorf("NewDate(2026, 9, 31) = %v, want it normalised to 2026-10-01", got)
	}
}

func TestDateOfUsesTheTimesOwnZone(t *testing.T) {
	t.Parallel()
	shanghai := mustShanghai(t)
	// 2026-03-12 16:30 UTC is 2026-03-13 00:30 in Shanghai (UTC+8).
	utc := time.Date(2026, 3, 12, 16, 30, 0, 0, time.UTC)
	if got := DateOf(utc); got != (Date{2026, 3, 12}) {
		t.Errorf("DateOf(UTC) = %v", got)
	}
	if got := DateOf(utc.In(shanghai)); got != (Date{2026, 3, 13}) {
		t.Errorf("DateOf(Shanghai) = %v", got)
	}
	if got, want := (Date{2026, 3, 13}).In(shanghai), time.Date(2026, 3, 12, 16, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("In(Shanghai) = %v, want %v", got, want)
	}
}

func TestDateYAMLReadsQuotedAndUnquotedDates(t *testing.T) {
	t.Parallel()
	var v struct {
		A Date `yaml:"a"`
		B Date `yaml:"b"`
	}
	if err := yaml.Unmarshal([]byte("a: 2026-10-01\nb: \"2026-10-10\"\n"), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != (Date{2026, 10, 1}) || v.B != (Date{2026, 10, 10}) {
		t.Errorf("got %v and %v", v.A, v.B)
	}
	err := yaml.Unmarshal([]byte("a: 2026-10-01\nb: 2026-02-30\n"), &v)
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "2026-02-30") {
		t.Errorf("bad date error = %v, want it to name line 2 and the date", err)
	}
	out, err := yaml.Marshal(struct{ D Date }{Date{2026, 1, 4}})
	if err != nil || !strings.Contains(string(out), "2026-01-04") {
		t.Errorf("Marshal = %q, %v", out, err)
	}
}
