package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wenming/wenming/internal/store"
)

// keyPrefix marks wenming keys so secret scanners and people recognise them.
const keyPrefix = "wm_"

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Key is a stored API key; the secret itself is never kept.
type Key struct {
	ID         string
	Name       string
	Role       Role
	Scope      string
	Prefix     string // first characters of the secret, to recognise it
	CreateTime time.Time
	RevokeTime *time.Time
}

// Keys reads and writes API keys.
type Keys struct{ db *store.DB }

// NewKeys returns the key store over db.
func NewKeys(db *store.DB) *Keys { return &Keys{db: db} }

// ErrKeyNotFound is returned for an unknown or revoked key.
var ErrKeyNotFound = errors.New("auth: key not found")

// Create makes a new random key and returns its secret, which is shown once.
func (k *Keys) Create(ctx context.Context, role Role, name, scope string) (string, Key, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return "", Key{}, err
	}
	if strings.TrimSpace(name) == "" {
		return "", Key{}, errors.New("auth: a key needs a name")
	}
	secret, id, err := newSecret(keyPrefix)
	if err != nil {
		return "", Key{}, err
	}
	key := Key{
		ID: id.String(), Name: name, Role: role, Scope: scope,
		Prefix: secret[:len(keyPrefix)+6], CreateTime: time.Now().UTC().Truncate(time.Microsecond),
	}
	err = k.db.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(
			`INSERT INTO api_keys (id, name, role, scope, key_hash, key_prefix, create_time)
			 VALUES (?, ?, ?, ?, ?, ?, ?)`),
			key.ID, key.Name, string(key.Role), key.Scope, hashKey(secret), key.Prefix, store.Micros(key.CreateTime))
		return err
	})
	if err != nil {
		return "", Key{}, fmt.Errorf("auth: store key: %w", err)
	}
	return secret, key, nil
}

type keyRow struct {
	ID         string        `db:"id"`
	Name       string        `db:"name"`
	Role       string        `db:"role"`
	Scope      string        `db:"scope"`
	Prefix     string        `db:"key_prefix"`
	CreateTime int64         `db:"create_time"`
	RevokeTime sql.NullInt64 `db:"revoke_time"`
}

func (r keyRow) key() Key {
	k := Key{ID: r.ID, Name: r.Name, Role: Role(r.Role), Scope: r.Scope, Prefix: r.Prefix,
		CreateTime: store.FromMicros(r.CreateTime)}
	if r.RevokeTime.Valid {
		t := store.FromMicros(r.RevokeTime.Int64)
		k.RevokeTime = &t
	}
	return k
}

const keyColumns = `id, name, role, scope, key_prefix, create_time, revoke_time`

// List returns every key, revoked ones included, oldest first.
func (k *Keys) List(ctx context.Context) ([]Key, error) {
	var rows []keyRow
	if err := k.db.R.SelectContext(ctx, &rows, `SELECT `+keyColumns+` FROM api_keys ORDER BY id`); err != nil {
		return nil, fmt.Errorf("auth: list keys: %w", err)
	}
	out := make([]Key, len(rows))
	for i, r := range rows {
		out[i] = r.key()
	}
	return out, nil
}

// Revoke stops a key from working. Revoking twice is not an error.
func (k *Keys) Revoke(ctx context.Context, id string) error {
	return k.db.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(
			`UPDATE api_keys SET revoke_time = COALESCE(revoke_time, ?) WHERE id = ?`),
			store.Micros(time.Now()), id)
		if err != nil {
			return fmt.Errorf("auth: revoke key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrKeyNotFound
		}
		return nil
	})
}

// Resolve returns the principal for a secret, or ErrKeyNotFound.
func (k *Keys) Resolve(ctx context.Context, secret string) (Principal, error) {
	var r keyRow
	err := k.db.R.GetContext(ctx, &r, k.db.R.Rebind(
		`SELECT `+keyColumns+` FROM api_keys WHERE key_hash = ? AND revoke_time IS NULL`), hashKey(secret))
	if errors.Is(err, sql.ErrNoRows) {
		return Principal{}, ErrKeyNotFound
	}
	if err != nil {
		return Principal{}, fmt.Errorf("auth: resolve key: %w", err)
	}
	return Principal{KeyID: r.ID, Name: r.Name, Role: Role(r.Role), Scope: r.Scope}, nil
}

// newSecret makes a random secret (240 bits, base32, after prefix) and a
// fresh id for the row that will hold its hash.
func newSecret(prefix string) (string, uuid.UUID, error) {
	raw := make([]byte, 30)
	if _, err := rand.Read(raw); err != nil {
		return "", uuid.UUID{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return "", uuid.UUID{}, err
	}
	return prefix + strings.ToLower(keyEncoding.EncodeToString(raw)), id, nil
}

// hashKey is SHA-256: keys are 240 random bits, so a slow password hash would
// add latency to every RPC without adding safety.
func hashKey(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}
