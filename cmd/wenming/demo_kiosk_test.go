package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// checkDemoKiosk: what `serve --demo` printed is enough to set up the
// kiosk app — its setup address answers, and the printed kiosk key is a
// kiosk key of the demo community.
func checkDemoKiosk(t *testing.T, base, printed string) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*kiosk:\s+(\S+)`).FindStringSubmatch(printed)
	if m == nil || !strings.Contains(printed, "/kiosk/setup") {
		t.Errorf("--demo did not print the kiosk key and setup address:\n%s", printed)
		return
	}
	resp, err := http.Get(base + "/kiosk/setup")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /kiosk/setup: %v %v", resp, err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/kiosk", nil)
	req.Header.Set("Authorization", "Bearer "+m[1])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var k struct{ Role, Community string }
	if err := json.NewDecoder(resp.Body).Decode(&k); err != nil || k.Role != "kiosk" || k.Community == "" {
		t.Errorf("the printed kiosk key: %d %+v %v", resp.StatusCode, k, err)
	}
}
