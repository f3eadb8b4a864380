package kiosk_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// firstLoadBudget bounds what a kiosk downloads to show its attract screen
// with an empty cache (page, styles, scripts and its first API calls, as
// transferred, headers included): kiosks may sit on a weak mobile link.
const firstLoadBudget = 48 << 10

// The first load of the attract screen stays small; docs/performance.md
// reports the figure this logs.
func TestKioskFirstLoadIsSmall(t *testing.T) {
	s, keys := demoServer(t)
	k := newKiosk(t, s, "first-load", portrait)
	k.setUp(keys.Kiosk, "和平社区")
	var mu sync.Mutex
	total := map[string]float64{}
	chromedp.ListenTarget(k.b.Ctx, func(ev any) {
		if e, ok := ev.(*network.EventLoadingFinished); ok {
			mu.Lock()
			total[string(e.RequestID)] += e.EncodedDataLength
			mu.Unlock()
		}
	})
	k.b.Run(network.Enable(), network.ClearBrowserCache(), chromedp.Navigate(s.BaseURL+"/kiosk"))
	k.waitScreen("attract", 10*time.Second)
	k.waitFor("document.getElementById('attract-card').textContent.includes('知识竞赛')", 10*time.Second)
	var resources []string
	k.js(`performance.getEntriesByType('resource').map(r => r.name)`, &resources)
	mu.Lock()
	defer mu.Unlock()
	var sum float64
	for _, n := range total {
		sum += n
	}
	t.Logf("first load: %d requests (%d resources after the page), %.0f bytes transferred", len(total), len(resources), sum)
	if sum <= 0 || sum > firstLoadBudget {
		t.Errorf("first load transferred %.0f bytes, budget %d", sum, firstLoadBudget)
	}
	for _, r := range resources {
		if !strings.HasPrefix(r, s.BaseURL) {
			t.Errorf("the kiosk requested another host: %s", r)
		}
	}
}
