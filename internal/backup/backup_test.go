package backup_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/backup"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

var secret = bytes.Repeat([]byte{42}, 32)

func withSecret(d *rpc.Deps) { d.Secret = secret }

// acks records the ratings the server acknowledged, by request id.
type acks struct {
	mu  sync.Mutex
	ids map[string]string // request id → rating id
}

func (a *acks) add(req, id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ids[req] = id
}

func (a *acks) snapshot() map[string]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]string, len(a.ids))
	for k, v := range a.ids {
		out[k] = v
	}
	return out
}

func (a *acks) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.ids)
}

// waitFor polls until at least n ratings are acknowledged.
func waitFor(t *testing.T, a *acks, n int, failed func() error) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for a.len() < n {
		if err := failed(); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d ratings acknowledged, want %d", a.len(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBackupUnderLoadRestoresEveryAcknowledgedRating(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	ratings := feedbackv1.NewRatingServiceClient(s.Conn)
	target, err := feedbackv1.NewTargetServiceClient(s.Conn).CreateTarget(s.Ctx(auth.Admin),
		&feedbackv1.CreateTargetRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, Name: "不动产登记中心"})
	if err != nil {
		t.Fatal(err)
	}
	targetID := target.GetTarget().GetId()

	// Kiosks rate concurrently until told to stop.
	got := &acks{ids: map[string]string{}}
	var (
		wg      sync.WaitGroup
		errMu   sync.Mutex
		loadErr error
	)
	failed := func() error { errMu.Lock(); defer errMu.Unlock(); return loadErr }
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				req := fmt.Sprintf("kiosk%d-%05d", w, i)
				resp, err := ratings.SubmitRating(s.Ctx(auth.Kiosk), &feedbackv1.SubmitRatingRequest{
					TargetId: targetID, Level: int32(1 + i%5), Channel: feedbackv1.Channel_CHANNEL_KIOSK,
					Comment: "办事快", Contact: "13800000000", RequestId: req,
				})
				if err != nil {
					errMu.Lock()
					loadErr = fmt.Errorf("SubmitRating %s: %w", req, err)
					errMu.Unlock()
					return
				}
				got.add(req, resp.GetRatingId())
			}
		}()
	}
	waitFor(t, got, 100, failed)

	// The backup opens the file as `wenming backup` does, apart from the
	// server's own pools.
	before := got.snapshot()
	src, err := store.Open(ctx, s.DB.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	bak := filepath.Join(t.TempDir(), "wenming-backup.db")
	m, err := backup.Backup(ctx, src, bak, secret)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	waitFor(t, got, len(before)+50, failed) // writing goes on after it
	close(stop)
	wg.Wait()
	if err := failed(); err != nil {
		t.Fatal(err)
	}
	if m.KeyFingerprint != backup.Fingerprint(secret) || m.SchemaVersion == 0 || m.Bytes == 0 {
		t.Errorf("manifest = %+v", m)
	}
	if onDisk, err := backup.ReadManifest(bak); err != nil || onDisk.SHA256 != m.SHA256 {
		t.Errorf("manifest on disk = %+v, %v; want %+v", onDisk, err, m)
	}

	restored := filepath.Join(t.TempDir(), "new-folder", "wenming.db")
	if err := mkdirFor(restored); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(ctx, bak, restored, backup.RestoreOptions{Secret: secret}); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	db, err := store.Open(ctx, "sqlite:"+restored)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var check string
	if err := db.R.GetContext(ctx, &check, "PRAGMA integrity_check"); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	s2 := testserver.Start(t, db, withSecret)

	exported := exportedRatings(t, s2, targetID)
	for req, id := range before {
		if !exported[id] {
			t.Errorf("rating %s (request %s), acknowledged before the backup began, is missing after restore", id, req)
		}
	}
	if len(exported) > got.len() {
		t.Errorf("restored %d ratings, more than the %d ever acknowledged", len(exported), got.len())
	}
	t.Logf("%d ratings acknowledged before the backup, %d in it, %d in all", len(before), len(exported), got.len())

	// The restored server knows the old server's keys and remembers their
	// request ids: a retry returns the first rating and writes nothing.
	oldKiosk := testserver.KeyCtx(s.Keys[auth.Kiosk])
	for req, id := range before {
		resp, err := feedbackv1.NewRatingServiceClient(s2.Conn).SubmitRating(oldKiosk, &feedbackv1.SubmitRatingRequest{
			TargetId: targetID, Level: int32(1 + mustIndex(t, req)%5), Channel: feedbackv1.Channel_CHANNEL_KIOSK,
			Comment: "办事快", Contact: "13800000000", RequestId: req,
		})
		if err != nil || resp.GetRatingId() != id {
			t.Fatalf("retry of %s after restore = %v, %v; want rating %s", req, resp.GetRatingId(), err, id)
		}
		break
	}
	if n := len(exportedRatings(t, s2, targetID)); n != len(exported) {
		t.Errorf("after a retried request id: %d ratings, want %d", n, len(exported))
	}
}

// exportedRatings returns the rating ids an analyst's export lists.
func exportedRatings(t *testing.T, s *testserver.Server, target string) map[string]bool {
	t.Helper()
	resp, err := feedbackv1.NewFeedbackStatsServiceClient(s.Conn).ExportRatings(s.Ctx(auth.Analyst),
		&feedbackv1.ExportRatingsRequest{TargetId: target, StartDate: day(-1), EndDate: day(1)})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetTruncated() {
		t.Fatal("export truncated")
	}
	rows, err := csv.NewReader(strings.NewReader(resp.GetCsv())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range rows[1:] {
		ids[r[0]] = true
	}
	return ids
}

// day is today plus n days in the server's time zone, as YYYY-MM-DD.
func day(n int) string {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return time.Now().In(loc).AddDate(0, 0, n).Format(time.DateOnly)
}

func mustIndex(t *testing.T, req string) int {
	t.Helper()
	var w, i int
	if _, err := fmt.Sscanf(req, "kiosk%d-%d", &w, &i); err != nil {
		t.Fatal(err)
	}
	return i
}
