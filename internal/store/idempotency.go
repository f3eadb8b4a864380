package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
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
// On PostgreSQL two concurrent first attempts may both run fn; the second
// insert of the request id then fails, its transaction rolls back, and it
// returns the first attempt's response, so only one set of rows survives.
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
	err = db.WithTx(ctx, func(tx *Tx) error {
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
	if err != nil && IsUniqueViolation(err) {
		// A concurrent first attempt won; answer with its response.
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
