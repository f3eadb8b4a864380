package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/url"
	"time"
)

// FormTokenTTL is how long a public form may stay open before its token
// expires: long enough to queue at a window or read a questionnaire,
// short enough that a harvested token is soon worthless.
const FormTokenTTL = 2 * time.Hour

// HoneypotField is the form field a person never sees (the page hides it
// and says not to fill it); a script filling every field does.
const HoneypotField = "website"

// FormTokens issues and checks the tokens of the public forms (/f/ and
// /s/). A token binds the page a citizen was given to what it answers (a
// target, a campaign) and to the request_id generated with it, until an
// expiry:
//
//	base64url(expiry unix seconds, 8 bytes ‖ HMAC-SHA256(key, bound ‖ request_id ‖ expiry)[:18])
//
// It is single use through the request_id: the first POST is recorded
// under that id (store.Once's or BatchOnce's idempotency row, in the
// shared database, so every replica sees it); a second POST with the same
// token can only replay that first answer or be refused for a different
// one. No replica keeps anything in memory.
type FormTokens struct {
	key []byte
	now func() time.Time
}

// Errors Check returns.
var (
	ErrTokenMissing = errors.New("form token missing or malformed")
	ErrTokenExpired = errors.New("form token expired")
	ErrTokenForged  = errors.New("form token does not match this form")
)

// NewFormTokens signs with key (a sub-key of the server secret, one per
// form) and reads the time from now (time.Now when nil). A nil key gives
// tokens that are never Ready.
func NewFormTokens(key []byte, now func() time.Time) FormTokens {
	if now == nil {
		now = time.Now
	}
	return FormTokens{key: key, now: now}
}

// Ready says whether tokens can be issued: there is a server secret.
func (tk FormTokens) Ready() bool { return len(tk.key) > 0 }

func (tk FormTokens) mac(bound, requestID string, exp int64) []byte {
	m := hmac.New(sha256.New, tk.key)
	var e [8]byte
	binary.BigEndian.PutUint64(e[:], uint64(exp))
	for _, part := range [][]byte{[]byte(bound), {0}, []byte(requestID), {0}, e[:]} {
		m.Write(part)
	}
	return m.Sum(nil)[:18]
}

// Issue returns a fresh request id and the token binding it to bound.
func (tk FormTokens) Issue(bound string) (requestID, token string) {
	raw := make([]byte, 16)
	_, _ = rand.Read(raw)
	requestID = "f-" + base64.RawURLEncoding.EncodeToString(raw)
	exp := tk.now().Add(FormTokenTTL).Unix()
	b := binary.BigEndian.AppendUint64(nil, uint64(exp))
	return requestID, base64.RawURLEncoding.EncodeToString(append(b, tk.mac(bound, requestID, exp)...))
}

// Check verifies a token for bound and requestID.
func (tk FormTokens) Check(bound, requestID, token string) error {
	if !tk.Ready() {
		return ErrTokenMissing
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 8+18 || requestID == "" {
		return ErrTokenMissing
	}
	exp := int64(binary.BigEndian.Uint64(raw[:8]))
	if !hmac.Equal(raw[8:], tk.mac(bound, requestID, exp)) {
		return ErrTokenForged
	}
	if tk.now().Unix() >= exp {
		return ErrTokenExpired
	}
	return nil
}

// CheckPosted checks a posted public form: the honeypot is empty and the
// token (field "token") matches bound and the posted request_id. why
// names the failure for the log ("honeypot", "token"), "" when the form
// is fine.
func (tk FormTokens) CheckPosted(bound string, form url.Values) (why string) {
	if form.Get(HoneypotField) != "" {
		return "honeypot"
	}
	if tk.Check(bound, form.Get("request_id"), form.Get("token")) != nil {
		return "token"
	}
	return ""
}
