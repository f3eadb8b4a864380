package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/wenming/wenming/internal/apierr"
)

// Call identifies one idempotent request (AIP-155).
type Call struct {
	// Method is the full gRPC method name.
	Method string
	// Scope separates callers, e.g. the API key id ("" for anonymous), so one
	// caller can never replay another caller's request id.
	Scope     string
	RequestID string
	// Request is the whole request message; a retry must send the same one.
	Request proto.Message
}

// Once runs fn in a write transaction and remembers its response under the
// call's request id. A retry with the same id and the same request returns
// the remembered response and runs nothing; the same id with a different
// request is FAILED_PRECONDITION. With an empty request id, Once is WithTx.
//
// Concurrent calls with one request id are settled before any business
// check runs: the transaction first claims the id, so a second caller
// waits until the first commits or rolls back, then reads its
// remembered answer, or, when the first was refused and remembered nothing,
// runs fn itself and is refused the same way. On SQLite the one writer
// connection already runs these transactions one after another; on
// PostgreSQL the claim is a transaction-scoped advisory lock on the id,
// which also holds across replicas sharing the database; a copy that finds
// the id claimed rolls back and tries again shortly, holding no connection
// while it waits.
func Once[T proto.Message](ctx context.Context, db *DB, c Call, fn func(tx *Tx) (T, error)) (T, error) {
	var zero T
	if c.RequestID == "" {
		var out T
		err := db.WithTx(ctx, func(tx *Tx) error {
			var err error
			out, err = fn(tx)
			return err
		})
		return out, err
	}
	hash, err := RequestHash(c.Request)
	if err != nil {
		return zero, err
	}
	var out T
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		err = db.WithTx(ctx, func(tx *Tx) error {
			if err := tryClaim(ctx, db, tx, c); err != nil {
				return err
			}
			resp, found, err := LookupCall(ctx, tx, c, hash)
			if err != nil || found {
				if found {
					out, err = DecodeResponse[T](resp)
				}
				return err
			}
			if out, err = fn(tx); err != nil {
				return err
			}
			return RememberCall(ctx, tx, c, hash, out)
		})
		if !errors.Is(err, errClaimed) {
			break
		}
		// Another transaction holds the id: wait for it without holding a
		// connection, so a crowd of copies cannot take the whole pool
		// while the first one needs a connection to finish.
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-time.After(wait):
		}
	}
	if err != nil && IsUniqueViolation(err) {
		// Only a writer that skipped the claim can get here (the claim
		// makes the id's first use commit before the second looks); answer
		// with the first response all the same.
		resp, found, lerr := LookupCall(ctx, db.W, c, hash)
		if lerr != nil {
			return zero, lerr
		}
		if found {
			return DecodeResponse[T](resp)
		}
	}
	if err != nil {
		return zero, err
	}
	return out, nil
}

// ClaimCalls makes tx the only transaction that may look up, run and
// remember the given calls until it ends: on PostgreSQL it takes a
// transaction-scoped advisory lock per request id (in one fixed order, so
// two transactions claiming overlapping sets cannot deadlock); on SQLite,
// where every write transaction holds the database's one write lock from
// BEGIN IMMEDIATE, there is nothing more to take. A call without a request
// id claims nothing.
func ClaimCalls(ctx context.Context, db *DB, tx *Tx, calls ...Call) error {
	if db.Dialect != Postgres {
		return nil
	}
	keys := make([]int64, 0, len(calls))
	for _, c := range calls {
		if c.RequestID != "" {
			keys = append(keys, claimKey(c))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var err error
	if len(keys) == 1 {
		_, err = tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, keys[0])
	} else {
		// The subquery's ORDER BY fixes the order the locks are taken in.
		_, err = tx.ExecContext(ctx,
			`SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest($1::bigint[]) AS k ORDER BY 1) AS ks`, keys)
	}
	if err != nil {
		return fmt.Errorf("store: claim request id: %w", err)
	}
	return nil
}

// errClaimed says another transaction holds the request id right now.
var errClaimed = errors.New("store: request id claimed by another transaction")

// tryClaim is ClaimCalls for one call that does not wait: errClaimed when
// another transaction holds the id.
func tryClaim(ctx context.Context, db *DB, tx *Tx, c Call) error {
	if db.Dialect != Postgres {
		return nil
	}
	var got bool
	if err := tx.GetContext(ctx, &got, `SELECT pg_try_advisory_xact_lock($1)`, claimKey(c)); err != nil {
		return fmt.Errorf("store: claim request id: %w", err)
	}
	if !got {
		return errClaimed
	}
	return nil
}

// claimLockSpace goes into every request-id lock key, keeping those keys
// apart from other uses of advisory locks (the migration lock).
const claimLockSpace = "wenming request_id"

// claimKey is the advisory lock key of a call: 64 bits of a digest of its
// method, scope and request id. Two ids sharing a key only wait for each
// other; neither answer is mixed up, because LookupCall reads by the ids.
func claimKey(c Call) int64 {
	h := sha256.New()
	for _, part := range []string{claimLockSpace, c.Method, c.Scope, c.RequestID} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return int64(binary.BigEndian.Uint64(h.Sum(nil)))
}

// RequestHash is the digest that ties a request id to its request: a retry
// must hash the same.
func RequestHash(req proto.Message) ([]byte, error) {
	payload, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("store: hash request: %w", err)
	}
	sum := sha256.Sum256(payload)
	return sum[:], nil
}

// RememberCall stores resp as the answer to the call whose request hashed
// to hash; a second call with the same id violates request_ids' key.
func RememberCall(ctx context.Context, tx *Tx, c Call, hash []byte, resp proto.Message) error {
	body, err := proto.Marshal(resp)
	if err != nil {
		return fmt.Errorf("store: encode response: %w", err)
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO request_ids (method, scope, request_id, payload_hash, response, create_time)
		 VALUES (?, ?, ?, ?, ?, ?)`),
		c.Method, c.Scope, c.RequestID, hash, body, Micros(time.Now()))
	return err
}

// LookupCall finds the remembered response of an earlier call with c's
// request id: found is false for a new id, and a remembered call whose
// request hashed differently is FAILED_PRECONDITION.
func LookupCall(ctx context.Context, q Queryer, c Call, hash []byte) ([]byte, bool, error) {
	var row struct {
		Hash     []byte `db:"payload_hash"`
		Response []byte `db:"response"`
	}
	err := q.GetContext(ctx, &row, q.Rebind(
		`SELECT payload_hash, response FROM request_ids WHERE method = ? AND scope = ? AND request_id = ?`),
		c.Method, c.Scope, c.RequestID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: look up request id: %w", err)
	}
	if string(row.Hash) != string(hash) {
		return nil, false, apierr.FailedPrecondition(apierr.RequestIDReused,
			"request_id %q was already used for a different request; use a new request_id for new content", c.RequestID)
	}
	return row.Response, true, nil
}

// DecodeResponse decodes a response stored by RememberCall.
func DecodeResponse[T proto.Message](body []byte) (T, error) {
	var zero T
	msg := zero.ProtoReflect().New().Interface().(T)
	if err := proto.Unmarshal(body, msg); err != nil {
		return zero, fmt.Errorf("store: decode remembered response: %w", err)
	}
	return msg, nil
}
