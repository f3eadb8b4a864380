package civindex

import (
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/apierr"
)

func TestParseSitesCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		csv   string
		sites int
		want  map[string]string
	}{
		{"columns in any order, prefix and case ignored, BOM skipped",
			"\ufeffunit,name,category,latitude,longitude\n东城区,人民路,street,39.9,116.4\n市政务局,市民中心,SITE_CATEGORY_SERVICE_HALL,,\n",
			2, map[string]string{}},
		{"empty file", "", 0, map[string]string{"csv": "is empty"}},
		{"missing required column", "name,unit\n甲,乙\n", 0, map[string]string{"csv": `no "category" column`}},
		{"every bad line reported with its number",
			"name,category,unit,latitude,longitude\n,STREET,东城区,,\n乙,CASTLE,东城区,,\n丙,PARK,西城区,91,abc\n",
			0, map[string]string{"csv": "line 2: name: is required; line 3: category: unknown category \"CASTLE\"; line 4: longitude"}},
		{"header only", "name,category,unit\n", 0, map[string]string{"csv": "lists no sites"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v apierr.Violations
			got := ParseSitesCSV(strings.NewReader(tt.csv), "csv", &v)
			if len(got) != tt.sites {
				t.Errorf("got %d sites, want %d", len(got), tt.sites)
			}
			wantFields(t, violations(&v), tt.want)
		})
	}
}
