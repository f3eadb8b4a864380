package feedbackform_test

import (
	"fmt"
	"testing"

	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

// BenchmarkFormRender is one GET /f/{code} over loopback HTTP against a
// real server on SQLite: the GetRatingForm call in-process, the template,
// gzip. (docs/performance.md)
func BenchmarkFormRender(b *testing.B) {
	s := testserver.Start(b, storetest.Default(b), withSecret)
	h := newHall(b, s)
	u := s.BaseURL + "/f/" + h.staffCode + "?c=qr"
	b.ResetTimer()
	for range b.N {
		if p := fetch(b, "GET", u, nil, "Accept-Encoding", "gzip"); p.status != 200 {
			b.Fatalf("status %d", p.status)
		}
	}
}

// BenchmarkFormJSON is the same GetRatingForm call through the JSON
// gateway: the baseline for what the page itself adds.
func BenchmarkFormJSON(b *testing.B) {
	s := testserver.Start(b, storetest.Default(b), withSecret)
	h := newHall(b, s)
	u := s.BaseURL + "/v1/feedback/forms/" + h.staffCode
	b.ResetTimer()
	for range b.N {
		if p := fetch(b, "GET", u, nil, "Accept-Encoding", "gzip"); p.status != 200 {
			b.Fatalf("status %d", p.status)
		}
	}
}

// BenchmarkSubmit is one plain form POST: token check, SubmitRating
// in-process (a commit on SQLite), the thank-you page. The forms are
// fetched before the clock starts.
func BenchmarkSubmit(b *testing.B) {
	s := testserver.Start(b, storetest.Default(b), withSecret)
	h := newHall(b, s)
	u := s.BaseURL + "/f/" + h.windowCode
	forms := make([]page, b.N)
	for i := range forms {
		forms[i] = fetch(b, "GET", u, nil)
	}
	b.ResetTimer()
	for i := range b.N {
		if p := fetch(b, "POST", u, formValues(forms[i], "4")); p.status != 200 {
			b.Fatalf("status %d: %s", p.status, p.body)
		}
	}
}

// BenchmarkSubmitJSON is the same SubmitRating (with a request id)
// through the JSON gateway: the baseline for BenchmarkSubmit.
func BenchmarkSubmitJSON(b *testing.B) {
	s := testserver.Start(b, storetest.Default(b), withSecret)
	h := newHall(b, s)
	b.ResetTimer()
	for i := range b.N {
		body := fmt.Sprintf(`{"targetId": %q, "level": 4, "channel": "CHANNEL_QR", "requestId": "bench-%d"}`, h.window, i)
		if r := s.DoKey(b, "", "POST", "/v1/feedback/ratings", body); r.Status != 200 {
			b.Fatalf("status %d: %s", r.Status, r.Body)
		}
	}
}
