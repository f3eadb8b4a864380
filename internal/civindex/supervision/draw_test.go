package supervision

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"testing"
)

func frameOf(strata map[string]int) Frame {
	f := Frame{Strata: StrataCategory}
	for _, s := range slices.Sorted(maps.Keys(strata)) {
		for i := range strata[s] {
			f.Sites = append(f.Sites, FrameSite{SiteID: s + "-" + string(rune('a'+i)), Stratum: s})
		}
	}
	return f
}

// Largest remainder, worked by hand: N = 10 sites in strata of 5, 3 and 2,
// n = 4. Quotas n·N_h/N are 2.0, 1.2 and 0.8: floors 2, 1, 0 (3 given),
// remainders n·N_h mod N are 0, 2 and 8, so the one site left goes to the
// stratum of 2: sizes 2, 1, 1.
//
// A tie: strata of 3, 3 and 4 with n = 5 give quotas 1.5, 1.5, 2.0; floors
// 1, 1, 2 (4 given), remainders 5, 5, 0; the tie between the two strata of
// 3 goes to the smaller name, so "a" gets 2 and "b" 1.
func TestProportionalSizesUseLargestRemainder(t *testing.T) {
	for _, c := range []struct {
		strata map[string]int
		n      int
		want   map[string]int
	}{
		{map[string]int{"street": 5, "station": 3, "hall": 2}, 4, map[string]int{"street": 2, "station": 1, "hall": 1}},
		{map[string]int{"a": 3, "b": 3, "c": 4}, 5, map[string]int{"a": 2, "b": 1, "c": 2}},
		{map[string]int{"a": 3, "b": 3, "c": 4}, 10, map[string]int{"a": 3, "b": 3, "c": 4}},
		// Equal remainders, larger stratum first: 7 and 2 with n = 3 give
		// 2.333 and 0.667; floors 2, 0; remainders 3·7 mod 9 = 3 and 3·2 mod 9
		// = 6, so "y" gets the last site.
		{map[string]int{"x": 7, "y": 2}, 3, map[string]int{"x": 2, "y": 1}},
	} {
		f := frameOf(c.strata)
		f.Allocation.Total = c.n
		if got := f.Sizes(); !maps.Equal(got, c.want) {
			t.Errorf("%v n=%d: sizes %v, want %v", c.strata, c.n, got, c.want)
		}
	}
}

func TestSampleTakesTheSmallestHMACKeysPerStratum(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	f := frameOf(map[string]int{"street": 5, "hall": 3})
	f.Allocation.Sizes = map[string]int{"street": 2, "hall": 1}
	// Recompute by hand: order each stratum by HMAC-SHA256(seed, id).
	var want []string
	for _, s := range []struct {
		name string
		n    int
	}{{"hall", 1}, {"street", 2}} {
		var ids []string
		for _, fs := range f.Sites {
			if fs.Stratum == s.name {
				ids = append(ids, fs.SiteID)
			}
		}
		key := func(id string) string {
			m := hmac.New(sha256.New, seed)
			m.Write([]byte(id))
			return hex.EncodeToString(m.Sum(nil))
		}
		slices.SortFunc(ids, func(a, b string) int { return strings.Compare(key(a), key(b)) })
		want = append(want, ids[:s.n]...)
	}
	slices.Sort(want)
	if got := f.Sample(seed); !slices.Equal(got, want) {
		t.Fatalf("sample %v, want %v", got, want)
	}
	// Another seed, another sample (for this frame, with these seeds).
	if other := f.Sample(bytes.Repeat([]byte{8}, 32)); slices.Equal(other, want) {
		t.Logf("seeds 7 and 8 drew the same sample %v", other)
	}
}

func TestStatementRoundTripsAndIsCanonical(t *testing.T) {
	f := frameOf(map[string]int{"street": 2, "hall": 1})
	f.Allocation.Sizes = map[string]int{"street": 1}
	st := f.Statement()
	want := "wenming-draw-v1\nstrata\tcategory\nallocation\tfixed\nsize\thall\t0\nsize\tstreet\t1\n" +
		"site\thall-a\thall\nsite\tstreet-a\tstreet\nsite\tstreet-b\tstreet\n"
	if st != want {
		t.Fatalf("statement:\n%q\nwant\n%q", st, want)
	}
	g, err := ParseStatement(st)
	if err != nil {
		t.Fatal(err)
	}
	if g.Statement() != st {
		t.Errorf("round trip changed the statement")
	}
	for _, bad := range []string{
		strings.Replace(st, "site\thall-a", "site\tzz", 1), // out of order
		st + "site\tstreet-b\tstreet\n",                    // repeated
		strings.TrimSuffix(st, "\n"),
		strings.Replace(st, "fixed", "proportional\t0", 1),
	} {
		if _, err := ParseStatement(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestVerifyDocumentCatchesAChangedFrameSeedOrSample(t *testing.T) {
	seed := bytes.Repeat([]byte{0xab}, 32)
	f := frameOf(map[string]int{"street": 4, "hall": 3})
	f.Allocation.Total = 3
	st := f.Statement()
	doc := DrawDocument{
		Format: DrawFormat, Statement: st, FrameSHA256: SHA256Hex([]byte(st)), Commitment: Commitment(seed),
		Seed: hex.EncodeToString(seed), Sample: f.Sample(seed),
	}
	if v := VerifyDocument(doc); !v.OK {
		t.Fatalf("honest draw: %+v", v)
	}
	failed := func(v Verdict) []string {
		var out []string
		for _, c := range v.Checks {
			if !c.OK {
				out = append(out, c.Name)
			}
		}
		return out
	}
	d := doc
	d.Statement = strings.Replace(st, "site\thall-a\thall\n", "", 1)
	if v := VerifyDocument(d); v.OK || !slices.Contains(failed(v), "frame_sha256") {
		t.Errorf("changed frame: %v", failed(v))
	}
	d = doc
	d.Seed = hex.EncodeToString(bytes.Repeat([]byte{0xac}, 32))
	if v := VerifyDocument(d); v.OK || !slices.Contains(failed(v), "commitment") {
		t.Errorf("changed seed: %v", failed(v))
	}
	d = doc
	d.Sample = append(slices.Clone(doc.Sample[1:]), "street-z")
	if v := VerifyDocument(d); v.OK || !slices.Equal(failed(v), []string{"sample"}) {
		t.Errorf("changed sample: %v", failed(v))
	}
}
