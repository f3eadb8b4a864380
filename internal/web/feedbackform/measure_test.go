package feedbackform_test

import (
	"os"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// TestMeasureSlow3G opens the form in Chromium throttled to DevTools'
// "Slow 3G" profile (2 s latency, 400 kbit/s each way) with an empty
// cache and logs what docs/performance.md reports: bytes transferred and
// time to interactive. It asserts nothing about time (the machine is
// shared and noisy) and runs only with WENMING_MEASURE=1.
func TestMeasureSlow3G(t *testing.T) {
	if os.Getenv("WENMING_MEASURE") == "" {
		t.Skip("set WENMING_MEASURE=1 to measure the form under slow 3G")
	}
	s := testserver.Start(t, storetest.Default(t), withSecret)
	h := newHall(t, s)
	for _, c := range []struct {
		name             string
		latency, through float64
	}{
		{"unthrottled", 0, -1},
		{"slow 3G", 2000, 50000},
		{"slow 3G, warm", 2000, 50000},
	} {
		measure(t, s.BaseURL+"/f/"+h.staffCode+"?c=qr", c.name, c.latency, c.through)
	}
}

func measure(t *testing.T, u, name string, latency, throughput float64) {
	b := webtest.New(t, webtest.Window(360, 740))
	var mu sync.Mutex
	var transferred float64
	var requests int
	chromedp.ListenTarget(b.Ctx, func(ev any) {
		if e, ok := ev.(*network.EventLoadingFinished); ok {
			mu.Lock()
			transferred += e.EncodedDataLength
			requests++
			mu.Unlock()
		}
	})
	var timing struct {
		ResponseEnd float64 `json:"responseEnd"`
		DCL         float64 `json:"dcl"`
		Load        float64 `json:"load"`
		FCP         float64 `json:"fcp"`
	}
	if name == "slow 3G, warm" {
		// The same browser has rendered the page once (fonts loaded), as a
		// phone that has shown any Chinese text has.
		b.Run(chromedp.Navigate(u), chromedp.WaitVisible("#send"))
		mu.Lock()
		transferred, requests = 0, 0
		mu.Unlock()
	}
	b.Run(
		network.Enable(),
		network.SetCacheDisabled(true),
		network.EmulateNetworkConditions(false, latency, throughput, throughput),
		chromedp.Navigate(u),
		chromedp.WaitVisible("#send"),
		chromedp.Poll(`performance.getEntriesByType("navigation")[0].loadEventEnd > 0`, nil),
		chromedp.Evaluate(`(() => {
			const n = performance.getEntriesByType("navigation")[0];
			const p = performance.getEntriesByName("first-contentful-paint")[0];
			return {responseEnd: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, fcp: p ? p.startTime : 0};
		})()`, &timing),
	)
	mu.Lock()
	defer mu.Unlock()
	tti := max(timing.FCP, timing.DCL)
	t.Logf("%s: %d requests, %.0f bytes transferred; HTML received %.0f ms, first contentful paint %.0f ms, "+
		"DOMContentLoaded %.0f ms, load %.0f ms, time to interactive %.0f ms",
		name, requests, transferred, timing.ResponseEnd, timing.FCP, timing.DCL, timing.Load, tti)
}
