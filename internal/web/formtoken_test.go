package web

import (
	"bytes"
	"net/url"
	"testing"
	"time"
)

func TestTokenBindsTargetRequestIDAndExpiry(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tk := NewFormTokens(bytes.Repeat([]byte{1}, 32), func() time.Time { return now })
	rid, tok := tk.Issue("target-a")
	if err := tk.Check("target-a", rid, tok); err != nil {
		t.Fatalf("fresh token refused: %v", err)
	}
	rid2, _ := tk.Issue("target-a")
	if rid2 == rid {
		t.Fatal("two forms got the same request id")
	}
	other := NewFormTokens(bytes.Repeat([]byte{2}, 32), tk.now)
	for name, err := range map[string]error{
		"other target":     tk.Check("target-b", rid, tok),
		"other request id": tk.Check("target-a", rid2, tok),
		"other key":        other.Check("target-a", rid, tok),
		"empty":            tk.Check("target-a", rid, ""),
		"garbage":          tk.Check("target-a", rid, "!!!"),
		"no request id":    tk.Check("target-a", "", tok),
		"truncated":        tk.Check("target-a", rid, tok[:len(tok)-2]),
	} {
		if err == nil {
			t.Errorf("%s: token accepted", name)
		}
	}
	now = now.Add(FormTokenTTL - time.Second)
	if err := tk.Check("target-a", rid, tok); err != nil {
		t.Errorf("token refused a second before expiry: %v", err)
	}
	now = now.Add(time.Second)
	if err := tk.Check("target-a", rid, tok); err != ErrTokenExpired {
		t.Errorf("expired token: %v", err)
	}
}

func TestPostedFormsNeedAnEmptyHoneypotAndTheirToken(t *testing.T) {
	tk := NewFormTokens(bytes.Repeat([]byte{1}, 32), nil)
	rid, tok := tk.Issue("campaign-1")
	ok := url.Values{"request_id": {rid}, "token": {tok}}
	if why := tk.CheckPosted("campaign-1", ok); why != "" {
		t.Errorf("a fresh form refused: %s", why)
	}
	trap := url.Values{"request_id": {rid}, "token": {tok}, HoneypotField: {"http://spam.example"}}
	if why := tk.CheckPosted("campaign-1", trap); why != "honeypot" {
		t.Errorf("honeypot filled: %q", why)
	}
	if why := tk.CheckPosted("campaign-2", ok); why != "token" {
		t.Errorf("token of another form: %q", why)
	}
	if why := NewFormTokens(nil, nil).CheckPosted("campaign-1", ok); why != "token" {
		t.Errorf("no secret, yet accepted: %q", why)
	}
}
