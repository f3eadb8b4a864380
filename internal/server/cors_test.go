package server

import (
	"net/http"
	"testing"
)

func preflight(t *testing.T, base, origin string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, base+"/v1/questions", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestCORSIsOffUnlessOriginsAreListed(t *testing.T) {
	t.Parallel()
	off := start(t, Config{})
	if got := preflight(t, "http://"+off.srv.HTTPAddr(), "https://app.example.org").Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("default server allowed origin %q", got)
	}
	on := start(t, Config{CORSOrigins: []string{"https://app.example.org"}})
	base := "http://" + on.srv.HTTPAddr()
	resp := preflight(t, base, "https://app.example.org")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://app.example.org" {
		t.Errorf("listed origin: Allow-Origin %q", got)
	}
	if got := resp.Header.Get("Access-Control-Allow-Headers"); got == "" {
		t.Error("listed origin: no Allow-Headers for authorization")
	}
	if got := preflight(t, base, "https://evil.example").Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("unlisted origin allowed: %q", got)
	}
}
