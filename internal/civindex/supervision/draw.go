package supervision

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The draw algorithm (docs/supervision.md, "Spot-check draws"). Everything
// here is pure so the verifier (`wenming verify draw`) runs the same code
// on a published file as the server ran on its database.

// Strata names as written in a statement.
const (
	StrataCategory = "category"
	StrataUnit     = "unit"
)

// statementHeader is the first line of every draw statement.
const statementHeader = "wenming-draw-v1"

// FrameSite is an eligible site and its stratum.
type FrameSite struct {
	SiteID  string `json:"site_id"`
	Stratum string `json:"stratum"`
}

// Allocation is how many sites to draw: Total > 0 allocates that many in
// proportion to stratum sizes; otherwise Sizes fixes each stratum's count
// (a stratum not named gives none).
type Allocation struct {
	Total int            `json:"total,omitempty"`
	Sizes map[string]int `json:"sizes,omitempty"`
}

// Frame is what a draw commits to besides the seed.
type Frame struct {
	Strata     string
	Allocation Allocation
	Sites      []FrameSite
}

// Statement is the frame's canonical text, whose SHA-256 is published at
// commit:
//
//	wenming-draw-v1
//	strata<TAB>category|unit
//	allocation<TAB>proportional<TAB><total>     (or: allocation<TAB>fixed)
//	size<TAB><stratum><TAB><n>                  (fixed only; every stratum of the frame, by stratum)
//	site<TAB><site id><TAB><stratum>            (every site, by site id)
//
// Every line ends in "\n"; sorting is by the UTF-8 bytes.
func (f Frame) Statement() string {
	var b strings.Builder
	b.WriteString(statementHeader + "\n")
	b.WriteString("strata\t" + f.Strata + "\n")
	if f.Allocation.Total > 0 {
		b.WriteString("allocation\tproportional\t" + strconv.Itoa(f.Allocation.Total) + "\n")
	} else {
		b.WriteString("allocation\tfixed\n")
		for _, s := range f.strata() {
			b.WriteString("size\t" + s + "\t" + strconv.Itoa(f.Allocation.Sizes[s]) + "\n")
		}
	}
	sites := slices.Clone(f.Sites)
	slices.SortFunc(sites, func(a, b FrameSite) int { return strings.Compare(a.SiteID, b.SiteID) })
	for _, s := range sites {
		b.WriteString("site\t" + s.SiteID + "\t" + s.Stratum + "\n")
	}
	return b.String()
}

// strata lists the frame's strata, sorted.
func (f Frame) strata() []string {
	var out []string
	for _, s := range f.Sites {
		out = append(out, s.Stratum)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// SHA256Hex is the lowercase hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// ParseStatement reads a statement back into a frame, refusing anything
// Statement would not have written.
func ParseStatement(text string) (Frame, error) {
	if !strings.HasSuffix(text, "\n") {
		return Frame{}, errors.New("statement: the last line does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 || lines[0] != statementHeader {
		return Frame{}, fmt.Errorf("statement: the first line must be %q", statementHeader)
	}
	var f Frame
	fields := func(i int) []string { return strings.Split(lines[i], "\t") }
	if p := fields(1); len(p) != 2 || p[0] != "strata" || (p[1] != StrataCategory && p[1] != StrataUnit) {
		return Frame{}, fmt.Errorf("statement line 2: want strata<TAB>category|unit, got %q", lines[1])
	} else {
		f.Strata = p[1]
	}
	switch p := fields(2); {
	case len(p) == 3 && p[0] == "allocation" && p[1] == "proportional":
		n, err := strconv.Atoi(p[2])
		if err != nil || n <= 0 || strconv.Itoa(n) != p[2] {
			return Frame{}, fmt.Errorf("statement line 3: bad total %q", p[2])
		}
		f.Allocation.Total = n
	case len(p) == 2 && p[0] == "allocation" && p[1] == "fixed":
		f.Allocation.Sizes = map[string]int{}
	default:
		return Frame{}, fmt.Errorf("statement line 3: want allocation<TAB>proportional<TAB>n or allocation<TAB>fixed, got %q", lines[2])
	}
	for i := 3; i < len(lines); i++ {
		p := fields(i)
		switch {
		case len(p) == 3 && p[0] == "size" && f.Allocation.Sizes != nil:
			n, err := strconv.Atoi(p[2])
			if err != nil || n < 0 || strconv.Itoa(n) != p[2] {
				return Frame{}, fmt.Errorf("statement line %d: bad size %q", i+1, p[2])
			}
			f.Allocation.Sizes[p[1]] = n
		case len(p) == 3 && p[0] == "site":
			if n := len(f.Sites); n > 0 && f.Sites[n-1].SiteID == p[1] {
				return Frame{}, fmt.Errorf("statement line %d: site %q is listed twice", i+1, p[1])
			}
			f.Sites = append(f.Sites, FrameSite{SiteID: p[1], Stratum: p[2]})
		default:
			return Frame{}, fmt.Errorf("statement line %d: unexpected %q", i+1, lines[i])
		}
	}
	if f.Statement() != text {
		return Frame{}, errors.New("statement: not in canonical form (order, duplicates or sizes of strata not in the frame)")
	}
	return f, nil
}

// Check reports the problems of a frame that would make a draw impossible
// or ambiguous, keyed by the request field they belong to.
func (f Frame) Check() map[string]string {
	out := map[string]string{}
	if len(f.Sites) == 0 {
		out["site_ids"] = "the frame has no sites"
	}
	seen := map[string]bool{}
	count := map[string]int{}
	for _, s := range f.Sites {
		if seen[s.SiteID] {
			out["site_ids"] = fmt.Sprintf("site %q is listed twice", s.SiteID)
		}
		seen[s.SiteID] = true
		if strings.ContainsAny(s.SiteID+s.Stratum, "\t\n") || s.Stratum == "" {
			out["site_ids"] = fmt.Sprintf("site %q has a stratum that cannot be written in a statement (%q)", s.SiteID, s.Stratum)
		}
		count[s.Stratum]++
	}
	a := f.Allocation
	switch {
	case a.Total > 0 && len(a.Sizes) > 0:
		out["allocation"] = "give either total (proportional) or sizes (fixed), not both"
	case a.Total > 0:
		if a.Total > len(f.Sites) {
			out["allocation.total"] = fmt.Sprintf("is %d but the frame has only %d sites", a.Total, len(f.Sites))
		}
	case len(a.Sizes) == 0:
		out["allocation"] = "give total (proportional) or sizes per stratum (fixed)"
	default:
		sum := 0
		for _, s := range sortedKeys(a.Sizes) {
			n := a.Sizes[s]
			sum += n
			switch {
			case n < 0:
				out["allocation.sizes"] = fmt.Sprintf("stratum %q: size %d is negative", s, n)
			case count[s] == 0:
				out["allocation.sizes"] = fmt.Sprintf("stratum %q has no site in the frame", s)
			case n > count[s]:
				out["allocation.sizes"] = fmt.Sprintf("stratum %q: size %d but only %d sites", s, n, count[s])
			}
		}
		if sum == 0 {
			out["allocation.sizes"] = "the sizes add up to no site"
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Sizes returns each stratum's sample size. Fixed sizes are as given.
// Proportional sizes use the largest-remainder rule: stratum h with N_h of
// the frame's N sites first gets floor(n·N_h/N); the sites still missing
// go one each to the strata with the largest remainders n·N_h mod N, ties
// broken by the larger N_h, then by the stratum name (bytewise, smaller
// first). Integer arithmetic only, so every implementation agrees.
func (f Frame) Sizes() map[string]int {
	out := map[string]int{}
	if f.Allocation.Total <= 0 {
		for _, s := range f.strata() {
			out[s] = f.Allocation.Sizes[s]
		}
		return out
	}
	n, total := f.Allocation.Total, len(f.Sites)
	count := map[string]int{}
	for _, s := range f.Sites {
		count[s.Stratum]++
	}
	strata := f.strata()
	given := 0
	for _, s := range strata {
		out[s] = n * count[s] / total
		given += out[s]
	}
	order := slices.Clone(strata)
	slices.SortStableFunc(order, func(a, b string) int {
		if c := cmp.Compare(n*count[b]%total, n*count[a]%total); c != 0 {
			return c
		}
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for i := 0; given < n; i++ {
		out[order[i]]++
		given++
	}
	return out
}

// Commitment is the hex SHA-256 of the seed's bytes.
func Commitment(seed []byte) string { return SHA256Hex(seed) }

// ParseSeed decodes a seed written as hex: 32 to 128 hex digits (16 to 64
// bytes).
func ParseSeed(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) < 16 || len(b) > 64 {
		return nil, errors.New("must be 32 to 128 hex digits (16 to 64 bytes)")
	}
	return b, nil
}

// DrawKey is the key that orders a site in the draw: HMAC-SHA256 with the
// seed's bytes as the key over the site id's UTF-8 bytes.
func DrawKey(seed []byte, siteID string) []byte {
	m := hmac.New(sha256.New, seed)
	m.Write([]byte(siteID))
	return m.Sum(nil)
}

// Sample draws the sample: in each stratum, the sites are ordered by
// DrawKey ascending (bytewise; equal keys, which do not happen in
// practice, by site id) and the first Sizes()[stratum] are taken. The
// sample is returned sorted by site id.
func (f Frame) Sample(seed []byte) []string {
	sizes := f.Sizes()
	by := map[string][]FrameSite{}
	for _, s := range f.Sites {
		by[s.Stratum] = append(by[s.Stratum], s)
	}
	var out []string
	for _, stratum := range f.strata() {
		sites := by[stratum]
		keys := map[string][]byte{}
		for _, s := range sites {
			keys[s.SiteID] = DrawKey(seed, s.SiteID)
		}
		slices.SortFunc(sites, func(a, b FrameSite) int {
			if c := bytes.Compare(keys[a.SiteID], keys[b.SiteID]); c != 0 {
				return c
			}
			return strings.Compare(a.SiteID, b.SiteID)
		})
		for _, s := range sites[:min(sizes[stratum], len(sites))] {
			out = append(out, s.SiteID)
		}
	}
	slices.Sort(out)
	return out
}
