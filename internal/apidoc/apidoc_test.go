package apidoc

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Result()
}

func TestOpenAPIDocumentDescribesTheWholeAPI(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	if err := Register(mux, "v1.2.3"); err != nil {
		t.Fatal(err)
	}
	resp := get(t, mux, "/openapi.json")
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title, Version string }
		Tags    []struct{ Name, Description string }
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Summary     string
			Description string
		}
		Security   []map[string][]string
		Components struct {
			SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" || doc.Info.Title != "wenming API" || doc.Info.Version != "v1.2.3" {
		t.Errorf("openapi %q, info %+v; want 3.0.3, wenming API, v1.2.3", doc.OpenAPI, doc.Info)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s.Type != "http" || s.Scheme != "bearer" || len(doc.Security) != 1 {
		t.Errorf("security scheme %+v, security %v; want http bearer required", s, doc.Security)
	}
	// One route of each service, with its description from the proto
	// comments.
	for path, op := range map[string]string{
		"/v1/questions":                     "QuestionService_ListQuestions",
		"/v1/feedback/targets":              "TargetService_ListTargets",
		"/v1/rounds/{roundId}/index:export": "IndexService_ExportIndex",
	} {
		got := doc.Paths[path]
		if got == nil {
			t.Errorf("no path %s", path)
			continue
		}
		found := false
		for _, o := range got {
			found = found || o.OperationID == op
		}
		if !found {
			t.Errorf("%s has no operation %s: %+v", path, op, got)
		}
	}
	var described bool
	for _, tag := range doc.Tags {
		described = described || (tag.Name == "QuestionService" && strings.Contains(tag.Description, "question bank"))
	}
	if !described {
		t.Errorf("QuestionService has no description from its proto comment: %+v", doc.Tags)
	}
}

func TestDocsPageIsSelfContained(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	if err := Register(mux, "dev"); err != nil {
		t.Fatal(err)
	}
	resp := get(t, mux, "/docs")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("/docs = %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	if strings.Contains(string(body), "http://") || strings.Contains(string(body), "https://") || strings.Contains(string(body), "<script>") {
		t.Errorf("/docs refers elsewhere or has inline script:\n%s", body)
	}
	for _, asset := range []string{"/docs/assets/ui/swagger-ui-bundle.js", "/docs/assets/ui/swagger-ui.css", "/docs/assets/static/docs.js"} {
		if !strings.Contains(string(body), asset) {
			t.Errorf("/docs does not load %s", asset)
		}
		if r := get(t, mux, asset); r.StatusCode != 200 {
			t.Errorf("GET %s = %d", asset, r.StatusCode)
		}
	}
	// The site root and /docs/ (a typed trailing slash) lead to the page.
	for _, path := range []string{"/", "/docs/"} {
		if r := get(t, mux, path); r.StatusCode != http.StatusFound || r.Header.Get("Location") != "/docs" {
			t.Errorf("GET %s = %d to %q, want 302 to /docs", path, r.StatusCode, r.Header.Get("Location"))
		}
	}
	for _, path := range []string{"/docs/assets/", "/docs/assets/ui/", "/docs/assets/openapi.json", "/docs/assets/apidoc.go"} {
		if r := get(t, mux, path); r.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404 (no listings, nothing outside ui/ and static/)", path, r.StatusCode)
		}
	}
}
