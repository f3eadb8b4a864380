package feedback

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// sealer encrypts raters' contacts with AES-256-GCM. Each contact gets a
// random 96-bit nonce, stored in front of the ciphertext; the rating id is
// the additional data, so a ciphertext copied onto another rating does not
// open.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("feedback: contact key is %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(ratingID, contact string) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return s.aead.Seal(nonce, nonce, []byte(contact), []byte(ratingID)), nil
}

func (s *sealer) open(ratingID string, box []byte) (string, error) {
	n := s.aead.NonceSize()
	if len(box) < n {
		return "", errors.New("feedback: contact ciphertext is too short")
	}
	plain, err := s.aead.Open(nil, box[:n], box[n:], []byte(ratingID))
	if err != nil {
		return "", fmt.Errorf("feedback: open contact of rating %s: %w", ratingID, err)
	}
	return string(plain), nil
}

// contactDigest is a keyed digest of a contact. The idempotency record of
// a rating keeps a hash of the request; with the contact in it, that hash
// could be brute-forced over all phone numbers by anyone who can read the
// database. The keyed digest stands in for the contact there, so a retry
// still matches and nothing guessable is stored.
func contactDigest(key []byte, contact string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(contact))
	return "hmac:" + hex.EncodeToString(m.Sum(nil))
}
