package feedbackform_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/testserver"
)

func withSecret(d *rpc.Deps) { d.Secret = bytes.Repeat([]byte{9}, 32) }

// hall is a service hall with one window and a staff member at it, and
// an officer of its department.
type hall struct {
	*testserver.Server
	targets                        feedbackv1.TargetServiceClient
	cases                          feedbackv1.CaseServiceClient
	dept, window, staff            string
	windowCode, staffCode, officer string
}

func newHall(t testing.TB, s *testserver.Server) *hall {
	t.Helper()
	h := &hall{Server: s, targets: feedbackv1.NewTargetServiceClient(s.Conn), cases: feedbackv1.NewCaseServiceClient(s.Conn)}
	create := func(kind feedbackv1.TargetKind, name, parent string) *feedbackv1.Target {
		t.Helper()
		resp, err := h.targets.CreateTarget(s.Ctx(auth.Admin), &feedbackv1.CreateTargetRequest{Kind: kind, Name: name, ParentId: parent})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetTarget()
	}
	h.dept = create(feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, "市政务服务中心", "").GetId()
	w := create(feedbackv1.TargetKind_TARGET_KIND_WINDOW, "3号综合窗口", h.dept)
	st := create(feedbackv1.TargetKind_TARGET_KIND_STAFF, "张敏（工号 0312）", w.GetId())
	h.window, h.windowCode, h.staff, h.staffCode = w.GetId(), w.GetPublicCode(), st.GetId(), st.GetPublicCode()
	h.officer = s.NewKey(t, auth.Officer, h.dept)
	return h
}

// page is a fetched HTML page.
type page struct {
	status int
	header http.Header
	body   string
}

func (p page) hidden(name string) string {
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(p.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func fetch(t testing.TB, method, u string, form url.Values, hdr ...string) page {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

// formValues are the fields of a fetched form, answered with level.
func formValues(p page, level string) url.Values {
	return url.Values{
		"target_id": {p.hidden("target_id")}, "request_id": {p.hidden("request_id")},
		"token": {p.hidden("token")}, "channel": {p.hidden("channel")}, "level": {level},
	}
}

func written(t testing.TB, s *testserver.Server) [3]int {
	return [3]int{testserver.Count(t, s.DB, "feedback_ratings"), testserver.Count(t, s.DB, "feedback_cases"), testserver.Count(t, s.DB, "request_ids")}
}
