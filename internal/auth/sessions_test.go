package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// A session acts as its key, keeps only a hash of its token, ends after
// the idle time or the maximum, on sign-out, and with its key.
func TestSessionsEndWhenIdleSignedOutOrRevoked(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys := NewKeys(db)
		secret, k, err := keys.Create(ctx, Officer, "食堂办公室", "dept-canteen")
		if err != nil {
			t.Fatal(err)
		}
		kp, err := keys.Resolve(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		s := NewSessions(db, 30*time.Minute, 12*time.Hour)
		s.now = func() time.Time { return now }
		r := WithSessions(keys, s)

		token, sess, err := s.Create(ctx, kp)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(token, SessionPrefix) || len(token) < 40 {
			t.Errorf("token %q", token)
		}
		var stored []byte
		if err := db.R.Get(&stored, db.R.Rebind(`SELECT token_hash FROM sessions WHERE id = ?`), sess.ID); err != nil {
			t.Fatal(err)
		}
		if len(stored) != 32 || strings.Contains(string(stored), token) {
			t.Errorf("stored token is not a SHA-256 hash: %q", stored)
		}
		p, err := r.Resolve(ctx, token)
		want := Principal{KeyID: k.ID, Name: "食堂办公室", Role: Officer, Scope: "dept-canteen", SessionID: sess.ID}
		if err != nil || p != want {
			t.Fatalf("Resolve = %+v, %v; want %+v", p, err, want)
		}
		if _, _, err := s.Create(ctx, p); err == nil {
			t.Error("a session started another session")
		}

		// Used every 20 minutes it lives on past the idle time …
		for i := 0; i < 4; i++ {
			now = now.Add(20 * time.Minute)
			if _, err := r.Resolve(ctx, token); err != nil {
				t.Fatalf("after %d×20 min of use: %v", i+1, err)
			}
		}
		// … but 31 idle minutes end it.
		now = now.Add(31 * time.Minute)
		if _, err := r.Resolve(ctx, token); !errors.Is(err, ErrKeyNotFound) {
			t.Errorf("idle session resolved: %v", err)
		}

		// The maximum ends even a busy session.
		now = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		busy, _, err := s.Create(ctx, kp)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 12*3; i++ {
			now = now.Add(20 * time.Minute)
			_, err = r.Resolve(ctx, busy)
		}
		if !errors.Is(err, ErrKeyNotFound) {
			t.Errorf("session used all day survived its 12 h maximum: %v", err)
		}

		// Sign-out.
		out, sess2, err := s.Create(ctx, kp)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, sess2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Resolve(ctx, out); !errors.Is(err, ErrKeyNotFound) {
			t.Errorf("signed-out session resolved: %v", err)
		}

		// Revoking the key ends its sessions at once.
		live, _, err := s.Create(ctx, kp)
		if err != nil {
			t.Fatal(err)
		}
		if err := keys.Revoke(ctx, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Resolve(ctx, live); !errors.Is(err, ErrKeyNotFound) {
			t.Errorf("session of a revoked key resolved: %v", err)
		}
		// Keys still resolve through the same resolver.
		other, _, err := keys.Create(ctx, Analyst, "分析", "")
		if err != nil {
			t.Fatal(err)
		}
		if p, err := r.Resolve(ctx, other); err != nil || p.Role != Analyst || p.SessionID != "" {
			t.Errorf("key through the session resolver: %+v %v", p, err)
		}
	})
}
