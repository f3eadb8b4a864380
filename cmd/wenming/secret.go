package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// parseSecret accepts 32 bytes as hex (64 characters) or base64.
func parseSecret(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("want 32 random bytes as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)")
}

// demoSecretFile is where --demo keeps the secret it generates when none
// is given: in the working directory, whatever the database, so the README
// can name one place for SQLite and PostgreSQL alike (and .gitignore
// covers it).
const demoSecretFile = "wenming-demo.secret"

// readSecretFile reads a key file, nil when there is none.
func readSecretFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	key, err := parseSecret(string(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}

// loadOrCreateSecret reads the demo secret file, creating it (mode 0600)
// with a fresh random key the first time, so demo data stays readable
// across restarts.
func loadOrCreateSecret(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err == nil {
		return parseSecret(string(raw))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write demo secret: %w", err)
	}
	return key, nil
}
