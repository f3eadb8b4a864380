package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

func TestKeysAreStoredHashedAndCanBeRevoked(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys := auth.NewKeys(db)
		secret, k, err := keys.Create(ctx, auth.Officer, "食堂办公室", "dept-canteen")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "wm_") || len(secret) < 40 {
			t.Errorf("secret %q is not a long wm_ key", secret)
		}
		var stored []byte
		if err := db.R.Get(&stored, db.R.Rebind(`SELECT key_hash FROM api_keys WHERE id = ?`), k.ID); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(stored), secret) || len(stored) != 32 {
			t.Errorf("stored key is not a SHA-256 hash: %q", stored)
		}

		p, err := keys.Resolve(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		want := auth.Principal{KeyID: k.ID, Name: "食堂办公室", Role: auth.Officer, Scope: "dept-canteen"}
		if p != want {
			t.Errorf("Resolve = %+v, want %+v", p, want)
		}
		if _, err := keys.Resolve(ctx, secret+"x"); !errors.Is(err, auth.ErrKeyNotFound) {
			t.Errorf("Resolve of a wrong key = %v, want ErrKeyNotFound", err)
		}

		if err := keys.Revoke(ctx, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := keys.Resolve(ctx, secret); !errors.Is(err, auth.ErrKeyNotFound) {
			t.Errorf("revoked key still resolves: %v", err)
		}
		if err := keys.Revoke(ctx, "no-such-key"); !errors.Is(err, auth.ErrKeyNotFound) {
			t.Errorf("Revoke of an unknown id = %v, want ErrKeyNotFound", err)
		}
		list, err := keys.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].RevokeTime == nil || list[0].Prefix != secret[:9] {
			t.Errorf("List = %+v, want the one key, revoked, with its prefix", list)
		}
		if _, _, err := keys.Create(ctx, "superuser", "x", ""); err == nil {
			t.Error("Create accepted an unknown role")
		}
	})
}

func TestRulePermits(t *testing.T) {
	t.Parallel()
	anon := auth.Principal{}
	kiosk := auth.Principal{KeyID: "1", Role: auth.Kiosk}
	analyst := auth.Principal{KeyID: "2", Role: auth.Analyst}
	admin := auth.Principal{KeyID: "3", Role: auth.Admin}
	tests := []struct {
		name string
		rule auth.Rule
		p    auth.Principal
		want bool
	}{
		{"admin passes admin-only", auth.AdminOnly(), admin, true},
		{"analyst fails admin-only", auth.AdminOnly(), analyst, false},
		{"listed role passes", auth.Allow(auth.Analyst), analyst, true},
		{"unlisted role fails", auth.Allow(auth.Analyst), kiosk, false},
		{"admin passes any rule", auth.Allow(auth.Kiosk), admin, true},
		{"anonymous fails a keyed rule", auth.Allow(auth.Kiosk), anon, false},
		{"anonymous passes a public rule", auth.Public(auth.Kiosk), anon, true},
		{"keyed role still checked on a public rule", auth.Public(auth.Kiosk), analyst, false},
		{"anyone: anonymous", auth.Anyone(), anon, true},
		{"anyone: any role", auth.Anyone(), analyst, true},
	}
	for _, tt := range tests {
		if got := tt.rule.Permits(tt.p); got != tt.want {
			t.Errorf("%s: Permits = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPolicyMergeRefusesDuplicates(t *testing.T) {
	t.Parallel()
	p := auth.Policy{"/a/B": auth.AdminOnly()}
	if err := p.Merge(auth.Policy{"/a/B": auth.Allow(auth.Kiosk)}); err == nil {
		t.Error("Merge accepted a second rule for /a/B")
	}
}
