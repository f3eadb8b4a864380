package server

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/buildinfo"
)

func TestMetricsReportTheBuild(t *testing.T) {
	t.Parallel()
	h := start(t, Config{Build: buildinfo.Info{Version: "v9.8.7", Commit: "abc123", GoVersion: "go1.99"}})
	resp, err := http.Get("http://" + h.srv.HTTPAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `wenming_build_info{commit="abc123",goversion="go1.99",version="v9.8.7"} 1`
	if !strings.Contains(string(body), want) {
		t.Errorf("/metrics lacks %s", want)
	}
}
