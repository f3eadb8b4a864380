package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/store"
)

// SessionPrefix marks session tokens, so the resolver can tell them from
// API keys without a database read.
const SessionPrefix = "wms_"

// Session is a signed-in period of one API key. The token is never kept;
// only its SHA-256, like a key's.
type Session struct {
	ID           string
	KeyID        string
	CreateTime   time.Time
	LastSeenTime time.Time
	ExpireTime   time.Time
	// Idle is how long the session survives without a call.
	Idle time.Duration
}

// Sessions stores sessions in the database, so every replica sees a
// session the moment another creates or ends it.
type Sessions struct {
	db        *store.DB
	idle, max time.Duration
	now       func() time.Time
}

// touchEvery bounds how often a busy session's last-seen time is written:
// idle expiry needs minutes, not every call, and each touch is a write.
const touchEvery = time.Minute

// NewSessions returns the session store: a session ends after idle without
// a call, and after max however busy.
func NewSessions(db *store.DB, idle, max time.Duration) *Sessions {
	return &Sessions{db: db, idle: idle, max: max, now: time.Now}
}

// Create starts a session for p, a principal resolved from an API key, and
// returns its token (shown once). Expired sessions are swept on the way.
func (s *Sessions) Create(ctx context.Context, p Principal) (string, Session, error) {
	if p.Anonymous() || p.SessionID != "" {
		return "", Session{}, errors.New("auth: a session is started with an API key")
	}
	token, id, err := newSecret(SessionPrefix)
	if err != nil {
		return "", Session{}, err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	sess := Session{ID: id.String(), KeyID: p.KeyID, CreateTime: now, LastSeenTime: now,
		ExpireTime: now.Add(s.max), Idle: s.idle}
	err = s.db.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, tx.Rebind(
			`DELETE FROM sessions WHERE last_seen_time < ? OR expire_time < ?`),
			store.Micros(now.Add(-s.idle)), store.Micros(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(
			`INSERT INTO sessions (id, token_hash, key_id, create_time, last_seen_time, expire_time)
			 VALUES (?, ?, ?, ?, ?, ?)`),
			sess.ID, hashKey(token), sess.KeyID, store.Micros(now), store.Micros(now), store.Micros(sess.ExpireTime))
		return err
	})
	if err != nil {
		return "", Session{}, fmt.Errorf("auth: store session: %w", err)
	}
	return token, sess, nil
}

type sessionRow struct {
	keyRow
	SessionID string `db:"session_id"`
	SCreate   int64  `db:"s_create"`
	SLastSeen int64  `db:"s_last_seen"`
	SExpire   int64  `db:"s_expire"`
}

// Resolve returns the principal of a live session's token — its key's, with
// SessionID set — or ErrKeyNotFound when the token is unknown, idle too
// long, past its end, signed out, or its key was revoked.
func (s *Sessions) Resolve(ctx context.Context, token string) (Principal, error) {
	p, _, err := s.resolve(ctx, token)
	return p, err
}

func (s *Sessions) resolve(ctx context.Context, token string) (Principal, Session, error) {
	var r sessionRow
	err := s.db.R.GetContext(ctx, &r, s.db.R.Rebind(
		`SELECT s.id AS session_id, s.create_time AS s_create, s.last_seen_time AS s_last_seen,
		        s.expire_time AS s_expire, k.id, k.name, k.role, k.scope, k.key_prefix, k.create_time, k.revoke_time
		   FROM sessions s JOIN api_keys k ON k.id = s.key_id
		  WHERE s.token_hash = ? AND k.revoke_time IS NULL`), hashKey(token))
	if errors.Is(err, sql.ErrNoRows) {
		return Principal{}, Session{}, ErrKeyNotFound
	}
	if err != nil {
		return Principal{}, Session{}, fmt.Errorf("auth: resolve session: %w", err)
	}
	sess := Session{ID: r.SessionID, KeyID: r.ID, CreateTime: store.FromMicros(r.SCreate),
		LastSeenTime: store.FromMicros(r.SLastSeen), ExpireTime: store.FromMicros(r.SExpire), Idle: s.idle}
	now := s.now()
	if now.Sub(sess.LastSeenTime) > s.idle || !now.Before(sess.ExpireTime) {
		return Principal{}, Session{}, ErrKeyNotFound
	}
	if now.Sub(sess.LastSeenTime) > touchEvery {
		sess.LastSeenTime = now.UTC().Truncate(time.Microsecond)
		err := s.db.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE sessions SET last_seen_time = ? WHERE id = ?`),
				store.Micros(sess.LastSeenTime), sess.ID)
			return err
		})
		if err != nil {
			return Principal{}, Session{}, fmt.Errorf("auth: touch session: %w", err)
		}
	}
	k := r.key()
	return Principal{KeyID: k.ID, Name: k.Name, Role: k.Role, Scope: k.Scope, SessionID: sess.ID}, sess, nil
}

// Get returns a session by id (for GetCaller), or ErrKeyNotFound.
func (s *Sessions) Get(ctx context.Context, id string) (Session, error) {
	var r struct {
		ID       string `db:"id"`
		KeyID    string `db:"key_id"`
		Create   int64  `db:"create_time"`
		LastSeen int64  `db:"last_seen_time"`
		Expire   int64  `db:"expire_time"`
	}
	err := s.db.R.GetContext(ctx, &r, s.db.R.Rebind(
		`SELECT id, key_id, create_time, last_seen_time, expire_time FROM sessions WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrKeyNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("auth: get session: %w", err)
	}
	return Session{ID: r.ID, KeyID: r.KeyID, CreateTime: store.FromMicros(r.Create),
		LastSeenTime: store.FromMicros(r.LastSeen), ExpireTime: store.FromMicros(r.Expire), Idle: s.idle}, nil
}

// Delete ends a session (sign-out). Deleting twice is not an error.
func (s *Sessions) Delete(ctx context.Context, id string) error {
	return s.db.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM sessions WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("auth: delete session: %w", err)
		}
		return nil
	})
}

// WithSessions resolves session tokens through sessions and everything else
// through keys. Sessions are not cached: a sign-out or an idle expiry must
// hold on every replica at once, and a console page makes few calls.
func WithSessions(keys Resolver, sessions *Sessions) Resolver {
	return sessionResolver{keys: keys, sessions: sessions}
}

type sessionResolver struct {
	keys     Resolver
	sessions *Sessions
}

func (r sessionResolver) Resolve(ctx context.Context, secret string) (Principal, error) {
	if strings.HasPrefix(secret, SessionPrefix) {
		return r.sessions.Resolve(ctx, secret)
	}
	return r.keys.Resolve(ctx, secret)
}
