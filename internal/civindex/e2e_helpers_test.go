package civindex_test

import (
	"fmt"
	"math"
	"net/http"
	"testing"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// frameworkJSON is the scripted framework of the end-to-end tests, one item
// per method plus an optional one:
//
//	D1 公共秩序  A1 BINARY 10 · A2 RATE 20 (min 10 observed)
//	D2 公共环境  B1 DEDUCTION 10 (3 per violation) · B2 GRADED 10 (优 1, 良 .8, 中 .6, 差 .2)
//	             B3 BINARY 5, optional
var frameworkJSON = map[string]any{"framework": map[string]any{
	"name": "测试指标体系",
	"dimensions": []any{
		map[string]any{"id": "D1", "name": "公共秩序", "indicators": []any{map[string]any{
			"id": "I1", "name": "交通秩序", "items": []any{
				map[string]any{"id": "A1", "name": "行人走斑马线", "max_points": 10, "method": "SCORING_METHOD_BINARY"},
				map[string]any{"id": "A2", "name": "行人遵守信号灯", "max_points": 20, "method": "SCORING_METHOD_RATE", "min_observed": 10},
			}}}},
		map[string]any{"id": "D2", "name": "公共环境", "indicators": []any{map[string]any{
			"id": "I2", "name": "环境卫生", "items": []any{
				map[string]any{"id": "B1", "name": "乱扔垃圾", "max_points": 10, "method": "SCORING_METHOD_DEDUCTION", "points_per_violation": 3},
				map[string]any{"id": "B2", "name": "整洁程度", "max_points": 10, "method": "SCORING_METHOD_GRADED", "levels": []any{
					map[string]any{"name": "优", "fraction": 1}, map[string]any{"name": "良", "fraction": 0.8},
					map[string]any{"name": "中", "fraction": 0.6}, map[string]any{"name": "差", "fraction": 0.2},
				}},
				map[string]any{"id": "B3", "name": "公厕整洁", "max_points": 5, "method": "SCORING_METHOD_BINARY", "optional": true},
			}}}},
	},
}}

// world is what setUp builds over HTTP as admin.
type world struct {
	s          *testserver.Server
	framework  string
	s1, s2, s3 string // sites: S1 street (unit U1), S2 station (U1), S3 service hall (U2)
	ins        civindexv1.InspectionServiceClient
	index      civindexv1.IndexServiceClient
	frameworks civindexv1.FrameworkServiceClient
	rounds     civindexv1.RoundServiceClient
	sites      civindexv1.SiteServiceClient
}

// call does an HTTP request as role and decodes the JSON reply, failing
// unless the status is want.
func call(t *testing.T, s *testserver.Server, role auth.Role, method, path string, body any, want int) map[string]any {
	t.Helper()
	r := s.Do(t, role, method, path, body)
	if r.Status != want {
		t.Fatalf("%s %s as %s: status %d, want %d: %s", method, path, role, r.Status, want, r.Body)
	}
	return r.JSON(t)
}

func str(m map[string]any, path ...string) string {
	var cur any = m
	for _, p := range path {
		cur = cur.(map[string]any)[p]
	}
	return fmt.Sprint(cur)
}

func setUp(t *testing.T, s *testserver.Server) *world {
	t.Helper()
	w := &world{
		s:          s,
		ins:        civindexv1.NewInspectionServiceClient(s.Conn),
		index:      civindexv1.NewIndexServiceClient(s.Conn),
		frameworks: civindexv1.NewFrameworkServiceClient(s.Conn),
		rounds:     civindexv1.NewRoundServiceClient(s.Conn),
		sites:      civindexv1.NewSiteServiceClient(s.Conn),
	}
	f := call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks", frameworkJSON, http.StatusOK)
	w.framework = str(f, "framework", "id")
	call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks/"+w.framework+":publish", map[string]any{}, http.StatusOK)

	imp := call(t, s, auth.Admin, http.MethodPost, "/v1/sites:import", map[string]any{
		"csv": "name,category,unit\nS1 人民路,street,U1\nS2 火车站,station,U1\n",
	}, http.StatusOK)
	sites := imp["sites"].([]any)
	w.s1, w.s2 = str(sites[0].(map[string]any), "id"), str(sites[1].(map[string]any), "id")
	s3 := call(t, s, auth.Admin, http.MethodPost, "/v1/sites", map[string]any{"site": map[string]any{
		"name": "S3 市民中心", "category": "SITE_CATEGORY_SERVICE_HALL", "unit": "U2",
		"location": map[string]any{"latitude": 30.1, "longitude": 120.2},
	}}, http.StatusOK)
	w.s3 = str(s3, "site", "id")
	return w
}

// openRound creates and opens a spot-check round over all three sites,
// starting in the given month of 2026.
func (w *world) openRound(t *testing.T, name string, month int) string {
	t.Helper()
	r := call(t, w.s, auth.Admin, http.MethodPost, "/v1/rounds", map[string]any{
		"name": name, "kind": "ROUND_KIND_SPOT_CHECK", "framework_id": w.framework, "framework_version": 1,
		"start_time": fmt.Sprintf("2026-%02d-01T00:00:00Z", month), "end_time": fmt.Sprintf("2026-%02d-28T00:00:00Z", month),
		"site_ids": []string{w.s1, w.s2, w.s3},
	}, http.StatusOK)
	id := str(r, "round", "id")
	call(t, w.s, auth.Admin, http.MethodPost, "/v1/rounds/"+id+":open", map[string]any{}, http.StatusOK)
	return id
}

// submit records one inspection as the inspector over gRPC.
func (w *world) submit(t *testing.T, round, site string, results ...*civindexv1.ItemResult) *civindexv1.Inspection {
	t.Helper()
	resp, err := w.ins.SubmitInspection(w.s.Ctx(auth.Inspector), &civindexv1.SubmitInspectionRequest{
		RoundId: round, SiteId: site, Results: results,
	})
	if err != nil {
		t.Fatalf("submit to %s: %v", site, err)
	}
	return resp.GetInspection()
}

func met(id string, ok bool) *civindexv1.ItemResult {
	return &civindexv1.ItemResult{ItemId: id, Met: ok}
}
func rate(id string, compliant, observed int32) *civindexv1.ItemResult {
	return &civindexv1.ItemResult{ItemId: id, Compliant: compliant, Observed: observed}
}
func violations(id string, n int32) *civindexv1.ItemResult {
	return &civindexv1.ItemResult{ItemId: id, Violations: n}
}
func level(id, l string) *civindexv1.ItemResult { return &civindexv1.ItemResult{ItemId: id, Level: l} }
func na(id, why string) *civindexv1.ItemResult {
	return &civindexv1.ItemResult{ItemId: id, NotApplicable: true, NaReason: why}
}

func approx(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}
