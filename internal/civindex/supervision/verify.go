package supervision

import (
	"fmt"
	"slices"
	"strings"
)

// DrawFormat names the JSON document ExportDraw writes and `wenming verify
// draw --file` reads.
const DrawFormat = "wenming-draw-v1"

// DrawDocument is a draw as published: everything needed to recompute it.
type DrawDocument struct {
	Format      string   `json:"format"`
	DrawID      string   `json:"draw_id"`
	Name        string   `json:"name"`
	Statement   string   `json:"statement"`
	FrameSHA256 string   `json:"frame_sha256"`
	Commitment  string   `json:"commitment"`
	Seed        string   `json:"seed"`
	Sample      []string `json:"sample"`
	RoundID     string   `json:"round_id"`
	CommitTime  string   `json:"commit_time"`
	RevealTime  string   `json:"reveal_time,omitempty"`
}

// Check is one step of a verification.
type Check struct {
	Name   string
	OK     bool
	Detail string
}

// Verdict is the outcome of verifying a draw: OK when every check passed.
type Verdict struct {
	OK     bool
	Checks []Check
	// Drawn is the recomputed sample (nil when it could not be drawn).
	Drawn []string
}

func (v *Verdict) add(name string, ok bool, detail string, args ...any) {
	v.Checks = append(v.Checks, Check{Name: name, OK: ok, Detail: fmt.Sprintf(detail, args...)})
}

// VerifyDocument recomputes a draw from its statement and seed and checks
// it against the published frame hash, commitment and sample.
func VerifyDocument(d DrawDocument) Verdict {
	var v Verdict
	if d.Format != DrawFormat {
		v.add("format", false, "format is %q, want %q", d.Format, DrawFormat)
		return v
	}
	f, err := ParseStatement(d.Statement)
	if err != nil {
		v.add("statement", false, "%v", err)
		return v
	}
	v.add("statement", true, "%d sites, strata by %s", len(f.Sites), f.Strata)
	got := SHA256Hex([]byte(d.Statement))
	v.add("frame_sha256", got == strings.ToLower(d.FrameSHA256),
		"SHA-256 of the statement is %s; published %s", got, d.FrameSHA256)
	seed, err := ParseSeed(d.Seed)
	if err != nil {
		v.add("seed", false, "seed %v", err)
		return v.done()
	}
	c := Commitment(seed)
	v.add("commitment", c == strings.ToLower(d.Commitment), "SHA-256 of the seed is %s; committed %s", c, d.Commitment)
	v.Drawn = f.Sample(seed)
	published := slices.Sorted(slices.Values(d.Sample))
	if slices.Equal(v.Drawn, published) {
		v.add("sample", true, "the %d sites drawn are the %d published", len(v.Drawn), len(published))
	} else {
		extra, missing := diff(published, v.Drawn)
		v.add("sample", false, "published but not drawn: %v; drawn but not published: %v", extra, missing)
	}
	return v.done()
}

func (v Verdict) done() Verdict {
	v.OK = true
	for _, c := range v.Checks {
		v.OK = v.OK && c.OK
	}
	return v
}

// diff returns what is in a but not b, and in b but not a (both sorted).
func diff(a, b []string) (onlyA, onlyB []string) {
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			onlyA = append(onlyA, x)
		}
	}
	for _, x := range b {
		if _, ok := slices.BinarySearch(a, x); !ok {
			onlyB = append(onlyB, x)
		}
	}
	return onlyA, onlyB
}
