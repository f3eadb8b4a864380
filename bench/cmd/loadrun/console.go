package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wenming/wenming/bench/internal/datagen"
	"github.com/wenming/wenming/internal/store"
)

// consolePage is one console page whose first view is measured.
type consolePage struct{ name, path string }

// consoleResult is one page's figures on one backend.
type consoleResult struct {
	page, path, backend string
	calls               int // API calls the page made (median over the views)
	p50, p95            time.Duration
	err                 error
}

// runConsole builds the large data set of issue 13 (1M ratings; 1,000
// sites × 100 items × 10 rounds; and -console-attempts quiz attempts) on a
// fresh wenming per backend, signs in to the console as an analyst and
// opens each page's first view (no query: the page's defaults) repeatedly,
// one request at a time. The figures are the server's own: the access
// log's duration_ms of each request, and the gRPC calls the page made,
// counted from the server's debug log lines that carry the request's id.
func runConsole(ctx context.Context, cfg *config, bins binaries) error {
	var results []consoleResult
	data := ""
	for _, backend := range cfg.backends {
		rs, d, err := consoleOnce(ctx, cfg, bins, backend)
		if err != nil {
			return fmt.Errorf("%s: %w", backend, err)
		}
		results, data = append(results, rs...), d
	}
	w := os.Stdout
	fmt.Fprintf(w, "\nconsole first views, %s, %s; %d views each after 2 warm-up views, one at a time; server time from the access log\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), data, cfg.consoleIters)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "page\tpath\tbackend\tAPI calls\tserver p50\tserver p95\ttarget < 1 s")
	for _, r := range results {
		if r.err != nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\t-\t-\t%v\n", r.page, r.path, r.backend, r.err)
			continue
		}
		verdict := "met"
		if r.p95 >= time.Second {
			verdict = "NOT met"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.page, r.path, r.backend, r.calls, fmtDur(r.p50), fmtDur(r.p95), verdict)
	}
	return tw.Flush()
}

func consoleOnce(ctx context.Context, cfg *config, bins binaries, backend string) ([]consoleResult, string, error) {
	// Debug logs every finished gRPC call with its request id: how the
	// page's API calls are counted.
	s, err := startWenming(ctx, cfg, bins, backend, "--log-level", "debug")
	if err != nil {
		return nil, "", err
	}
	defer s.close()
	db, err := store.Open(ctx, s.dsn)
	if err != nil {
		return nil, "", err
	}
	defer db.Close()
	admin := s.as(ctx, "admin")
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now()
	t0 := time.Now()
	fx, err := datagen.CreateFeedbackTargets(admin, s.conn, 20)
	if err != nil {
		return nil, "", err
	}
	if err := datagen.BulkRatings(ctx, db, fx, datagen.FullRatings, ratingDays, now, loc); err != nil {
		return nil, "", err
	}
	logf("%s: %d ratings in %s", backend, datagen.FullRatings, time.Since(t0).Round(time.Second))
	t0 = time.Now()
	d, err := datagen.CreateIndexData(admin, s.conn, datagen.FullItems, datagen.FullSites, datagen.FullRounds)
	if err == nil {
		err = datagen.SubmitInspections(admin, s.conn, d, 4)
	}
	if err != nil {
		return nil, "", err
	}
	logf("%s: %d sites × %d items × %d rounds in %s", backend, datagen.FullSites, datagen.FullItems, datagen.FullRounds, time.Since(t0).Round(time.Second))
	t0 = time.Now()
	c, err := datagen.CreateContest(admin, s.conn, 10)
	if err == nil {
		err = datagen.BulkAttempts(ctx, db, c, cfg.consoleAttempts, false)
	}
	if err != nil {
		return nil, "", err
	}
	logf("%s: %d attempts in %s", backend, cfg.consoleAttempts, time.Since(t0).Round(time.Second))
	_ = datagen.Analyze(ctx, db)
	data := fmt.Sprintf("%d ratings (20 windows, %d days), %d sites × %d items × %d rounds, %d quiz attempts",
		datagen.FullRatings, ratingDays, datagen.FullSites, datagen.FullItems, datagen.FullRounds, cfg.consoleAttempts)

	base := "http://" + s.httpAddr
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 5 * time.Minute}
	resp, err := hc.PostForm(base+"/console/login", url.Values{"key": {s.keys["analyst"]}, "next": {"/console/"}})
	if err != nil {
		return nil, "", err
	}
	resp.Body.Close()
	last, prev := d.RoundIDs[len(d.RoundIDs)-1], d.RoundIDs[len(d.RoundIDs)-2]
	pages := []consolePage{
		{"rounds", "/console/index"},
		{"round", "/console/index/rounds/" + last},
		{"site", "/console/index/rounds/" + last + "/sites/" + d.SiteIDs[0]},
		{"compare", "/console/index/compare?a=" + prev + "&b=" + last},
		{"report", "/console/index/rounds/" + last + "/report"},
		{"feedback", "/console/feedback"},
		{"contests", "/console/quiz"},
		{"contest", "/console/quiz/contests/" + c.ID},
		{"cases", "/console/cases"},
	}
	ids := map[string][]string{} // page → request ids of the measured views
	for _, p := range pages {
		for i := range cfg.consoleIters + 2 {
			id := fmt.Sprintf("console-%s-%s-%d", backend, p.name, i)
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+p.path, nil)
			req.Header.Set("X-Request-Id", id)
			resp, err := hc.Do(req)
			if err != nil {
				return nil, "", err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return nil, "", fmt.Errorf("GET %s: %d", p.path, resp.StatusCode)
			}
			if i >= 2 {
				ids[p.name] = append(ids[p.name], id)
			}
		}
	}
	durations, calls, err := readAccessLog(s.proc.log)
	if err != nil {
		return nil, "", err
	}
	var out []consoleResult
	for _, p := range pages {
		r := consoleResult{page: p.name, path: p.path, backend: backend}
		var lat []time.Duration
		var n []int
		for _, id := range ids[p.name] {
			dur, ok := durations[id]
			if !ok {
				r.err = fmt.Errorf("no access-log line for %s", id)
				break
			}
			lat, n = append(lat, dur), append(n, calls[id])
		}
		if r.err == nil {
			slices.Sort(lat)
			slices.Sort(n)
			r.p50, r.p95, r.calls = percentile(lat, 0.5), percentile(lat, 0.95), n[len(n)/2]
		}
		out = append(out, r)
	}
	return out, data, nil
}

// readAccessLog reads the server's JSON log: each HTTP request's
// duration_ms by request id, and how many gRPC calls carried each id.
func readAccessLog(path string) (map[string]time.Duration, map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	durations, calls := map[string]time.Duration{}, map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Bytes()
		if !strings.Contains(string(line), `"console-`) {
			continue
		}
		var rec struct {
			Msg        string  `json:"msg"`
			RequestID  string  `json:"request_id"`
			DurationMS float64 `json:"duration_ms"`
			Method     string  `json:"grpc.method"`
		}
		if json.Unmarshal(line, &rec) != nil || rec.RequestID == "" {
			continue
		}
		switch {
		case rec.Msg == "http":
			durations[rec.RequestID] = time.Duration(rec.DurationMS * float64(time.Millisecond))
		case rec.Method != "":
			calls[rec.RequestID]++
		}
	}
	return durations, calls, sc.Err()
}
