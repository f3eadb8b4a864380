package kiosk_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// recorder keeps, in the order the browser saw them, every answer request
// the page sent and the body of every response it received.
type recorder struct {
	mu     sync.Mutex
	seq    int
	events []netEvent
	urls   map[network.RequestID]string
	wg     sync.WaitGroup
}

type netEvent struct {
	seq  int
	url  string
	sent *int // an answer request: the question index it answers
	body string
}

// record starts recording the browser's network traffic.
func record(t *testing.T, k *kiosk) *recorder {
	r := &recorder{urls: map[network.RequestID]string{}}
	ctx := k.b.Ctx
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			r.mu.Lock()
			defer r.mu.Unlock()
			r.urls[ev.RequestID] = ev.Request.URL
			if strings.Contains(ev.Request.URL, "/answers") && ev.Request.HasPostData {
				var body struct{ Index int }
				raw := ""
				for _, e := range ev.Request.PostDataEntries {
					raw += e.Bytes
				}
				_ = json.Unmarshal([]byte(decodeMaybeBase64(raw)), &body)
				r.seq++
				r.events = append(r.events, netEvent{seq: r.seq, url: ev.Request.URL, sent: &body.Index})
			}
		case *network.EventLoadingFinished:
			r.mu.Lock()
			r.seq++
			seq := r.seq
			url := r.urls[ev.RequestID]
			r.mu.Unlock()
			r.wg.Add(1)
			go func() {
				defer r.wg.Done()
				c := chromedp.FromContext(ctx)
				body, err := network.GetResponseBody(ev.RequestID).Do(cdp.WithExecutor(ctx, c.Target))
				if err != nil {
					return // e.g. a preflight or a cached file without a body
				}
				r.mu.Lock()
				r.events = append(r.events, netEvent{seq: seq, url: url, body: string(body)})
				r.mu.Unlock()
			}()
		}
	})
	k.b.Run(network.Enable())
	return r
}

// done waits for the bodies still being read and returns the events in
// the order they happened.
func (r *recorder) done() []netEvent {
	ch := make(chan struct{})
	go func() { r.wg.Wait(); close(ch) }()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]netEvent(nil), r.events...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].seq < out[j-1].seq; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// keyBearing walks a JSON body and returns the question indexes for which
// it carries an answer key or an explanation.
func keyBearing(body string) []int {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return nil
	}
	var out []int
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			keys, _ := x["correctKeys"].([]any)
			expl, _ := x["explanation"].(string)
			if len(keys) > 0 || expl != "" {
				idx := -1
				if f, ok := x["index"].(float64); ok {
					idx = int(f)
				} else if q, ok := x["question"].(map[string]any); ok {
					if f, ok := q["index"].(float64); ok {
						idx = int(f)
					}
				}
				out = append(out, idx)
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	return out
}

// decodeMaybeBase64 reads post data entries, which DevTools sends in base64.
func decodeMaybeBase64(s string) string {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return string(b)
	}
	return s
}
