package civindex_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func TestSiteAdministration(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		created := call(t, s, auth.Admin, http.MethodPost, "/v1/sites", map[string]any{"site": map[string]any{
			"name": "人民公园", "category": "SITE_CATEGORY_PARK", "unit": "东城区"}, "request_id": "site-1"}, http.StatusOK)
		id := str(created, "site", "id")
		again := call(t, s, auth.Admin, http.MethodPost, "/v1/sites", map[string]any{"site": map[string]any{
			"name": "人民公园", "category": "SITE_CATEGORY_PARK", "unit": "东城区"}, "request_id": "site-1"}, http.StatusOK)
		if str(again, "site", "id") != id {
			t.Errorf("retried create made a second site")
		}
		upd := call(t, s, auth.Admin, http.MethodPut, "/v1/sites/"+id, map[string]any{"site": map[string]any{
			"name": "人民公园（东门）", "category": "SITE_CATEGORY_PARK", "unit": "西城区",
			"location": map[string]any{"latitude": 31.2, "longitude": 121.5}}}, http.StatusOK)
		if str(upd, "site", "unit") != "西城区" || str(upd, "site", "location", "latitude") != "31.2" {
			t.Errorf("update: %v", upd)
		}
		list := call(t, s, auth.Inspector, http.MethodGet, "/v1/sites?unit=西城区&category=SITE_CATEGORY_PARK", nil, http.StatusOK)
		if sites := list["sites"].([]any); len(sites) != 1 {
			t.Errorf("filtered list: %v", sites)
		}
		bad := s.Do(t, auth.Admin, http.MethodPost, "/v1/sites", map[string]any{"site": map[string]any{
			"name": "", "unit": "x", "location": map[string]any{"latitude": 91, "longitude": 0}}})
		for _, f := range []string{"site.name", "site.category", "site.location.latitude"} {
			if bad.Status != http.StatusBadRequest || !strings.Contains(string(bad.Body), f) {
				t.Errorf("bad site: %d, want %s named: %s", bad.Status, f, bad.Body)
			}
		}
		call(t, s, auth.Admin, http.MethodDelete, "/v1/sites/"+id, nil, http.StatusOK)
		call(t, s, auth.Analyst, http.MethodGet, "/v1/sites/"+id, nil, http.StatusNotFound)
	})
}
