package civindex_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func TestFrameworkDraftValidatePublishAndNewVersion(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		// A draft may be incomplete: an item with no max points and an
		// unknown level fraction is stored, and validation lists both.
		draft := map[string]any{"framework": map[string]any{
			"name": "草稿体系",
			"dimensions": []any{map[string]any{"id": "D1", "name": "公共秩序", "indicators": []any{map[string]any{
				"id": "I1", "name": "交通", "items": []any{
					map[string]any{"id": "A1", "name": "斑马线", "method": "SCORING_METHOD_BINARY"},
					map[string]any{"id": "A1", "name": "信号灯", "max_points": 5, "method": "SCORING_METHOD_GRADED",
						"levels": []any{map[string]any{"name": "好", "fraction": 1}, map[string]any{"name": "差", "fraction": 2}}},
				}}}}},
		}}
		f := call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks", draft, http.StatusOK)
		id := str(f, "framework", "id")
		if str(f, "framework", "state") != "FRAMEWORK_STATE_DRAFT" {
			t.Fatalf("new framework state = %s", str(f, "framework", "state"))
		}
		v := call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks/"+id+":validate", map[string]any{}, http.StatusOK)
		problems := str(v, "problems")
		for _, want := range []string{
			"framework.dimensions[0].indicators[0].items[0].max_points",
			"framework.dimensions[0].indicators[0].items[1].id",
			"framework.dimensions[0].indicators[0].items[1].levels[1].fraction",
		} {
			if !strings.Contains(problems, want) {
				t.Errorf("validate does not name %s: %s", want, problems)
			}
		}
		r := s.Do(t, auth.Admin, http.MethodPost, "/v1/frameworks/"+id+":publish", map[string]any{})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "items[0].max_points") {
			t.Fatalf("publishing an invalid draft: %d %s", r.Status, r.Body)
		}

		// Fix the draft, publish, and it no longer changes.
		call(t, s, auth.Admin, http.MethodPut, "/v1/frameworks/"+id, frameworkJSON, http.StatusOK)
		p := call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks/"+id+":publish", map[string]any{}, http.StatusOK)
		if str(p, "framework", "state") != "FRAMEWORK_STATE_PUBLISHED" || str(p, "framework", "publishTime") == "<nil>" {
			t.Fatalf("published: %v", p)
		}
		if r := s.Do(t, auth.Admin, http.MethodPut, "/v1/frameworks/"+id, draft); r.Status != http.StatusBadRequest {
			t.Errorf("editing a published version: %d %s", r.Status, r.Body)
		}

		// Version 2 is drafted from version 1; version 1 stays readable.
		n := call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks/"+id+":newVersion", map[string]any{}, http.StatusOK)
		if str(n, "framework", "version") != "2" || str(n, "framework", "state") != "FRAMEWORK_STATE_DRAFT" {
			t.Fatalf("new version: %v", n)
		}
		if r := s.Do(t, auth.Admin, http.MethodPost, "/v1/frameworks/"+id+":newVersion", map[string]any{}); r.Status != http.StatusBadRequest {
			t.Errorf("a second draft while one is open: %d %s", r.Status, r.Body)
		}
		v1 := call(t, s, auth.Inspector, http.MethodGet, "/v1/frameworks/"+id+"?version=1", nil, http.StatusOK)
		if str(v1, "framework", "state") != "FRAMEWORK_STATE_PUBLISHED" {
			t.Errorf("version 1: %v", v1)
		}
		// A round cannot use the draft version 2.
		site := call(t, s, auth.Admin, http.MethodPost, "/v1/sites", map[string]any{"site": map[string]any{
			"name": "街道", "category": "SITE_CATEGORY_STREET", "unit": "东城区"}}, http.StatusOK)
		r = s.Do(t, auth.Admin, http.MethodPost, "/v1/rounds", map[string]any{
			"name": "用草稿", "kind": "ROUND_KIND_OFFICIAL", "framework_id": id, "framework_version": 2,
			"start_time": "2026-01-01T00:00:00Z", "end_time": "2026-02-01T00:00:00Z",
			"site_ids": []string{str(site, "site", "id")},
		})
		if r.Status != http.StatusBadRequest || r.Reason(t) != apierr.FrameworkNotPublished {
			t.Errorf("round on a draft: %d %s", r.Status, r.Body)
		}
	})
}
