package feedback

import (
	"fmt"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/workcal"
)

// Limits on a rating, in characters.
const (
	MaxCommentLen = 500
	MaxContactLen = 64
	MaxTags       = 10
	// BadLevel is the highest level that counts as a bad review and opens a
	// case.
	BadLevel = 2
)

// LevelLabels are the five levels, index 0 being level 1.
var LevelLabels = [5]string{"非常不满意", "不满意", "基本满意", "满意", "非常满意"}

// Channel is how a rating reached the server.
type Channel string

const (
	Kiosk Channel = "KIOSK"
	Web   Channel = "WEB"
	QR    Channel = "QR"
)

// DimLevel is the level given to one dimension.
type DimLevel struct {
	Key   string `json:"key"`
	Level int    `json:"level"`
}

// RatingInput is what a rater sends.
type RatingInput struct {
	TargetID   string
	Level      int
	Dimensions []DimLevel
	Tags       []string
	Comment    string
	Channel    Channel
	Contact    string
}

// Normalize trims whitespace and defaults the channel to WEB.
func (in *RatingInput) Normalize() {
	in.TargetID = strings.TrimSpace(in.TargetID)
	in.Comment = strings.TrimSpace(in.Comment)
	in.Contact = strings.TrimSpace(in.Contact)
	for i := range in.Tags {
		in.Tags[i] = strings.TrimSpace(in.Tags[i])
	}
	for i := range in.Dimensions {
		in.Dimensions[i].Key = strings.TrimSpace(in.Dimensions[i].Key)
	}
	if in.Channel == "" {
		in.Channel = Web
	}
}

func validLevel(l int) bool { return l >= 1 && l <= 5 }

// Validate records every problem that can be seen without the target's form.
func (in *RatingInput) Validate(v *apierr.Violations) {
	v.RequiredText("target_id", in.TargetID, maxIDLen)
	if !validLevel(in.Level) {
		v.Add("level", "must be 1 (非常不满意) to 5 (非常满意), not %d", in.Level)
	}
	seen := map[string]bool{}
	for i, d := range in.Dimensions {
		f := fmt.Sprintf("dimensions[%d]", i)
		if v.RequiredText(f+".key", d.Key, maxDimensionKey) && seen[d.Key] {
			v.Add(f+".key", "dimension %q is rated twice", d.Key)
		}
		seen[d.Key] = true
		if !validLevel(d.Level) {
			v.Add(f+".level", "must be 1 to 5, not %d", d.Level)
		}
	}
	if len(in.Tags) > MaxTags {
		v.Add("tags", "has %d tags; the limit is %d", len(in.Tags), MaxTags)
	}
	tags := map[string]bool{}
	for i, t := range in.Tags {
		f := fmt.Sprintf("tags[%d]", i)
		if v.RequiredText(f, t, MaxTagLen) && tags[t] {
			v.Add(f, "tag %q is given twice", t)
		}
		tags[t] = true
	}
	v.Text("comment", in.Comment, MaxCommentLen)
	v.Text("contact", in.Contact, MaxContactLen)
	switch in.Channel {
	case Kiosk, Web, QR:
	default:
		v.Add("channel", "must be KIOSK, WEB or QR")
	}
}

// CheckForm records dimensions and tags the target's form does not ask for.
func (in *RatingInput) CheckForm(v *apierr.Violations, f Form) {
	for i, d := range in.Dimensions {
		if d.Key != "" && !f.HasDimension(d.Key) {
			v.Add(fmt.Sprintf("dimensions[%d].key", i), "%q is not a dimension of this target's form", d.Key)
		}
	}
	for i, t := range in.Tags {
		if t != "" && !f.HasTag(t) {
			v.Add(fmt.Sprintf("tags[%d]", i), "%q is not a tag of this target's form", t)
		}
	}
}

// Rating is one stored rating.
type Rating struct {
	ID           string
	TargetID     string
	DepartmentID string
	Level        int
	Dimensions   []DimLevel
	Tags         []string
	Comment      string
	Channel      Channel
	// Contact is the sealed contact, nil when none was given.
	Contact []byte
	// Day is the local date, yyyymmdd, the rating is counted under.
	Day        int
	Excluded   bool
	CreateTime time.Time
}

// dayKey is the yyyymmdd number of t's date in loc.
func dayKey(t time.Time, loc *time.Location) int { return dateKey(workcal.DateOf(t.In(loc))) }
