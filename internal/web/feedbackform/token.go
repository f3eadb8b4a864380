package feedbackform

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// TokenPurpose names the sub-key of the server secret form tokens are
// signed with.
const TokenPurpose = "feedback form token v1"

// tokenTTL is how long a form may stay open before its token expires: long
// enough to queue at a window, short enough that a harvested token is
// soon worthless.
const tokenTTL = 2 * time.Hour

// A form token binds the page a citizen was given to the target it rates
// and to the request_id generated with it, until an expiry:
//
//	base64url(expiry unix seconds, 8 bytes ‖ HMAC-SHA256(key, target ‖ request_id ‖ expiry)[:18])
//
// It is single use through the request_id: the first POST records the
// rating under that id (store.Once's idempotency row, in the shared
// database, so every replica sees it); a second POST with the same token
// can only replay that first answer or be refused for a different one. No
// replica keeps anything in memory.
type tokens struct {
	key []byte
	now func() time.Time
}

var (
	errTokenMissing = errors.New("form token missing or malformed")
	errTokenExpired = errors.New("form token expired")
	errTokenForged  = errors.New("form token does not match this form")
)

func (tk tokens) mac(target, requestID string, exp int64) []byte {
	m := hmac.New(sha256.New, tk.key)
	var e [8]byte
	binary.BigEndian.PutUint64(e[:], uint64(exp))
	for _, part := range [][]byte{[]byte(target), {0}, []byte(requestID), {0}, e[:]} {
		m.Write(part)
	}
	return m.Sum(nil)[:18]
}

// issue returns a fresh request id and the token for it.
func (tk tokens) issue(target string) (requestID, token string) {
	raw := make([]byte, 16)
	_, _ = rand.Read(raw)
	requestID = "f-" + base64.RawURLEncoding.EncodeToString(raw)
	exp := tk.now().Add(tokenTTL).Unix()
	b := binary.BigEndian.AppendUint64(nil, uint64(exp))
	return requestID, base64.RawURLEncoding.EncodeToString(append(b, tk.mac(target, requestID, exp)...))
}

// check verifies a token for target and requestID.
func (tk tokens) check(target, requestID, token string) error {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 8+18 || requestID == "" {
		return errTokenMissing
	}
	exp := int64(binary.BigEndian.Uint64(raw[:8]))
	if !hmac.Equal(raw[8:], tk.mac(target, requestID, exp)) {
		return errTokenForged
	}
	if tk.now().Unix() >= exp {
		return errTokenExpired
	}
	return nil
}
