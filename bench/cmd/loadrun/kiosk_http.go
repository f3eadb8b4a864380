package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/wenming/wenming/bench/internal/datagen"
)

// runKioskHTTP is the kiosk driver: cfg.concurrency simulated kiosks each
// play games back to back through the JSON gateway with exactly the calls
// the /kiosk page makes — GetKiosk (the clock), StartAttempt, one
// AnswerQuestion per question with a request_id, SubmitAttempt,
// GetAttemptResult, the contest's and the community's top 10 and myRank.
// The rate and the latency percentiles are of the AnswerQuestion round
// trips (what a player waits for after touching an answer); errors count
// every failed call.
func runKioskHTTP(ctx context.Context, cfg *config, s *server, c datagen.Contest, tag string) (measurement, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.concurrency}}
	defer client.CloseIdleConnections()
	k := kioskClient{http: client, base: "http://" + s.httpAddr, key: s.keys["kiosk"]}
	run := gameNonce.Add(1)
	type tally struct {
		lat    []time.Duration
		errors int64
		err    error
	}
	tallies := make([]tally, cfg.concurrency)
	stop := time.Now().Add(cfg.duration)
	begin := time.Now()
	var wg sync.WaitGroup
	for w := range cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			for n := 0; time.Now().Before(stop) && ctx.Err() == nil; n++ {
				participant := fmt.Sprintf("KIOSK%s%04d%03d%07d", tagDigits(tag), run, w, n)
				lat, err := k.game(ctx, c, participant, c.Communities[w%len(c.Communities)])
				t.lat = append(t.lat, lat...)
				if err != nil {
					t.errors++
					t.err = err
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	var all []time.Duration
	var m measurement
	var firstErr error
	for _, t := range tallies {
		all = append(all, t.lat...)
		m.Errors += t.errors
		if firstErr == nil {
			firstErr = t.err
		}
	}
	slices.Sort(all)
	m.Count = int64(len(all))
	m.RPS = float64(m.Count) / elapsed.Seconds()
	m.P50, m.P95, m.P99 = percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99)
	if m.Count == 0 && firstErr != nil {
		return m, firstErr
	}
	return m, nil
}

type kioskClient struct {
	http      *http.Client
	base, key string
}

// call makes one gateway call and decodes the reply into out (may be nil).
func (k kioskClient) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, k.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+k.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := k.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// game plays one game as the kiosk page does and returns the latency of
// each AnswerQuestion round trip.
func (k kioskClient) game(ctx context.Context, c datagen.Contest, participant, community string) ([]time.Duration, error) {
	if err := k.call(ctx, http.MethodGet, "/v1/kiosk", nil, nil); err != nil {
		return nil, err
	}
	var started struct {
		Attempt   struct{ ID string }
		Questions []struct {
			Index   int
			Options []struct{ Key string }
		}
	}
	err := k.call(ctx, http.MethodPost, "/v1/contests/"+c.ID+"/attempts", map[string]any{
		"displayName": "压测" + participant[len(participant)-6:], "community": community,
		"participantIdentifier": participant, "requestId": participant + "-start",
	}, &started)
	if err != nil {
		return nil, err
	}
	id := started.Attempt.ID
	lat := make([]time.Duration, 0, len(started.Questions))
	for _, q := range started.Questions {
		key := "A"
		if len(q.Options) > 0 && q.Index%3 == 2 {
			key = q.Options[len(q.Options)-1].Key // some wrong answers
		}
		t0 := time.Now()
		err := k.call(ctx, http.MethodPost, "/v1/attempts/"+id+"/answers", map[string]any{
			"index": q.Index, "chosenKeys": []string{key}, "requestId": fmt.Sprintf("%s-a%d", participant, q.Index),
		}, nil)
		lat = append(lat, time.Since(t0))
		if err != nil {
			return lat, err
		}
	}
	for _, step := range []struct{ method, path string }{
		{http.MethodPost, "/v1/attempts/" + id + ":submit"},
		{http.MethodGet, "/v1/attempts/" + id + "/result"},
		{http.MethodGet, "/v1/contests/" + c.ID + "/leaderboard?pageSize=10"},
		{http.MethodGet, "/v1/contests/" + c.ID + "/leaderboard?pageSize=10&community=" + url.QueryEscape(community)},
		{http.MethodPost, "/v1/contests/" + c.ID + "/leaderboard:myRank"},
	} {
		var body any
		switch step.method {
		case http.MethodPost:
			body = map[string]any{"requestId": participant + "-submit"}
			if step.path[len(step.path)-6:] == "myRank" {
				body = map[string]any{"attemptId": id, "community": community}
			}
		}
		if err := k.call(ctx, step.method, step.path, body, nil); err != nil {
			return lat, err
		}
	}
	return lat, nil
}
