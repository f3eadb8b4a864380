package feedback

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
)

// Limits on target content, in characters.
const (
	MaxNameLen      = 64
	MaxDimensions   = 8
	MaxFormTags     = 24
	MaxTagLen       = 16
	MaxDimLabelLen  = 16
	maxDimensionKey = 32
	maxIDLen        = 64
)

// Kind is what a target is.
type Kind string

const (
	Department  Kind = "DEPARTMENT"
	Window      Kind = "WINDOW"
	Staff       Kind = "STAFF"
	ServiceItem Kind = "SERVICE_ITEM"
)

// parentKinds says under which kinds of target each kind may sit. A
// department may also stand alone.
var parentKinds = map[Kind][]Kind{
	Department:  {Department},
	Window:      {Department},
	Staff:       {Department, Window},
	ServiceItem: {Department, Window},
}

// Dimension is one aspect a form asks about.
type Dimension struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Form is what the rating page of a target asks for.
type Form struct {
	Dimensions []Dimension `json:"dimensions,omitempty"`
	Tags       []string    `json:"tags,omitempty"`
}

// Empty reports whether the form asks for nothing, meaning "inherit".
func (f Form) Empty() bool { return len(f.Dimensions) == 0 && len(f.Tags) == 0 }

// HasDimension reports whether key is one of the form's dimensions.
func (f Form) HasDimension(key string) bool {
	for _, d := range f.Dimensions {
		if d.Key == key {
			return true
		}
	}
	return false
}

// HasTag reports whether tag is one of the form's tags.
func (f Form) HasTag(tag string) bool {
	for _, t := range f.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// DefaultForm is used by targets with no form of their own or inherited.
var DefaultForm = Form{
	Dimensions: []Dimension{
		{Key: "attitude", Label: "服务态度"},
		{Key: "efficiency", Label: "办事效率"},
		{Key: "environment", Label: "环境设施"},
		{Key: "outcome", Label: "办理结果"},
	},
	Tags: []string{"态度热情", "办事高效", "环境整洁", "一次办好", "等候时间长", "态度生硬", "推诿扯皮", "流程繁琐"},
}

var dimensionKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Normalize trims whitespace.
func (f *Form) Normalize() {
	for i := range f.Dimensions {
		f.Dimensions[i].Key = strings.TrimSpace(f.Dimensions[i].Key)
		f.Dimensions[i].Label = strings.TrimSpace(f.Dimensions[i].Label)
	}
	for i := range f.Tags {
		f.Tags[i] = strings.TrimSpace(f.Tags[i])
	}
}

// Validate records every problem with f under prefix (e.g. "form.").
func (f *Form) Validate(v *apierr.Violations, prefix string) {
	if n := len(f.Dimensions); n > MaxDimensions {
		v.Add(prefix+"dimensions", "has %d dimensions; the limit is %d", n, MaxDimensions)
	}
	keys := map[string]bool{}
	for i, d := range f.Dimensions {
		field := fmt.Sprintf("%sdimensions[%d]", prefix, i)
		if v.RequiredText(field+".key", d.Key, maxDimensionKey) {
			switch {
			case !dimensionKey.MatchString(d.Key):
				v.Add(field+".key", "%q must be lower-case letters, digits and _, starting with a letter", d.Key)
			case keys[d.Key]:
				v.Add(field+".key", "key %q is used by an earlier dimension", d.Key)
			}
		}
		keys[d.Key] = true
		v.RequiredText(field+".label", d.Label, MaxDimLabelLen)
	}
	if n := len(f.Tags); n > MaxFormTags {
		v.Add(prefix+"tags", "has %d tags; the limit is %d", n, MaxFormTags)
	}
	tags := map[string]bool{}
	for i, t := range f.Tags {
		field := fmt.Sprintf("%stags[%d]", prefix, i)
		if v.RequiredText(field, t, MaxTagLen) && tags[t] {
			v.Add(field, "tag %q is listed twice", t)
		}
		tags[t] = true
	}
}

// TargetInput is what an admin writes to create a target.
type TargetInput struct {
	Kind     Kind
	Name     string
	ParentID string
	Form     Form
}

// Normalize trims whitespace.
func (in *TargetInput) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.ParentID = strings.TrimSpace(in.ParentID)
	in.Form.Normalize()
}

// Validate records every problem that can be seen without the database.
func (in *TargetInput) Validate(v *apierr.Violations, prefix string) {
	if _, ok := parentKinds[in.Kind]; !ok {
		v.Add(prefix+"kind", "must be DEPARTMENT, WINDOW, STAFF or SERVICE_ITEM")
	} else if in.Kind != Department && in.ParentID == "" {
		v.Add(prefix+"parent_id", "a %s needs a parent target", strings.ToLower(string(in.Kind)))
	}
	v.RequiredText(prefix+"name", in.Name, MaxNameLen)
	v.Text(prefix+"parent_id", in.ParentID, maxIDLen)
	in.Form.Validate(v, prefix+"form.")
}

// Target is something citizens rate.
type Target struct {
	ID           string
	Kind         Kind
	Name         string
	ParentID     string
	DepartmentID string
	// Path is "/root/…/id/": the ids from the root down to the target.
	Path       string
	Active     bool
	Form       Form
	CreateTime time.Time
	UpdateTime time.Time
}

// Ancestors returns the ids above t, nearest first.
func (t Target) Ancestors() []string {
	ids := strings.Split(strings.Trim(t.Path, "/"), "/")
	var out []string
	for i := len(ids) - 2; i >= 0; i-- {
		out = append(out, ids[i])
	}
	return out
}

// checkParent says whether a target of kind k may sit under parent.
func checkParent(v *apierr.Violations, field string, k Kind, parent Target) {
	for _, pk := range parentKinds[k] {
		if parent.Kind == pk {
			if !parent.Active {
				v.Add(field, "target %s is deactivated", parent.ID)
			}
			return
		}
	}
	v.Add(field, "a %s cannot sit under a %s", strings.ToLower(string(k)), strings.ToLower(string(parent.Kind)))
}
