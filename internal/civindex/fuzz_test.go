package civindex

import (
	"os"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/apierr"
)

// FuzzParseFrameworkYAML: no framework file, however broken, panics the
// importer or its validation.
func FuzzParseFrameworkYAML(f *testing.F) {
	demo, err := os.ReadFile("../demo/civindex_framework.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(demo))
	f.Add("name: x\ndimensions: [{id: D1, name: d, indicators: [{id: I1, name: i, items: [{id: A1, name: a, method: RATE, max_points: -5}]}]}]\n")
	f.Add("dimensions: {id: [}")
	f.Fuzz(func(t *testing.T, file string) {
		c, err := ParseFrameworkYAML(strings.NewReader(file))
		if err != nil {
			return
		}
		var v apierr.Violations
		c.Validate(&v, "framework")
		_ = v.Err()
	})
}

// FuzzParseSitesCSV: no sites file panics the importer, and every site it
// returns without a violation has a name and a known category.
func FuzzParseSitesCSV(f *testing.F) {
	f.Add("\ufeffunit,name,category,latitude,longitude\n东城区,人民路,street,39.9,116.4\n市政务局,市民中心,SITE_CATEGORY_SERVICE_HALL,,\n")
	f.Add("name,category,unit,latitude,longitude\n,STREET,东城区,,\n乙,CASTLE,东城区,,\n丙,PARK,西城区,91,abc\n")
	f.Add("name,unit\n\"a\n")
	f.Fuzz(func(t *testing.T, file string) {
		var v apierr.Violations
		sites := ParseSitesCSV(strings.NewReader(file), "csv", &v)
		if v.Len() > 0 {
			return
		}
		for i, s := range sites {
			if strings.TrimSpace(s.Name) == "" {
				t.Fatalf("site %d accepted without a name", i)
			}
			if _, ok := parseCategory(s.Category); !ok {
				t.Fatalf("site %d accepted with category %q", i, s.Category)
			}
		}
	})
}
