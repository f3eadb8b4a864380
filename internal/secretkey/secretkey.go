// Package secretkey keeps the database and the server secret together:
// the database records the fingerprint of the key its data is kept under
// (contacts encrypted, participants pseudonymised; never the key itself),
// a server refuses to start with another key, and Rotate moves the data
// to a new key. docs/reliability.md ("The secret key") explains it for
// operators.
package secretkey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wenming/wenming/internal/backup"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/store"
)

// Where a key came from, as recorded beside its fingerprint.
const (
	SourceFlag     = "flag"      // --secret-key / WENMING_SECRET_KEY
	SourceDemoFile = "demo-file" // the file `serve --demo` made
)

// Fingerprint names a key without revealing it (the same as a backup
// manifest's).
func Fingerprint(secret []byte) string { return backup.Fingerprint(secret) }

// Record is what the database knows about its key.
type Record struct {
	Fingerprint string    `db:"fingerprint"`
	Source      string    `db:"source"`
	SetTime     time.Time `db:"-"`
	SetMicros   int64     `db:"set_time"`
}

// Recorded returns the database's record, and false when no key has been
// recorded yet.
func Recorded(ctx context.Context, q store.Queryer) (Record, bool, error) {
	var r Record
	err := q.GetContext(ctx, &r, `SELECT fingerprint, source, set_time FROM secret_key WHERE id = 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, fmt.Errorf("secretkey: read the recorded fingerprint: %w", err)
	}
	r.SetTime = store.FromMicros(r.SetMicros)
	return r, true, nil
}

func put(ctx context.Context, q store.Queryer, secret []byte, source string, now time.Time) error {
	_, err := q.ExecContext(ctx, q.Rebind(`INSERT INTO secret_key (id, fingerprint, source, set_time) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, source = excluded.source, set_time = excluded.set_time`),
		Fingerprint(secret), source, store.Micros(now))
	if err != nil {
		return fmt.Errorf("secretkey: record the fingerprint: %w", err)
	}
	return nil
}

// Candidate is a key a server could run with and where it came from.
type Candidate struct {
	Key    []byte
	Source string
}

// MismatchError is a key that is not the one the database's data is kept
// under. Its message names both fingerprints and the way out.
type MismatchError struct {
	DSN          string
	Recorded     Record
	Given        string // fingerprint of the key offered, "" for none
	GivenSource  string
	DemoFileNote string // what was found in the demo file, if looked at
}

// label names a key's source for people.
func label(source string) string {
	switch source {
	case SourceFlag:
		return "--secret-key"
	case SourceDemoFile:
		return "wenming-demo.secret"
	}
	return source
}

func (e *MismatchError) Error() string {
	was := "--secret-key"
	if e.Recorded.Source == SourceDemoFile {
		was = "the wenming-demo.secret file that `serve --demo` made (in the directory it was started from)"
	}
	head := fmt.Sprintf("the data in %s is kept under the secret key with fingerprint %s (recorded %s, from %s)",
		e.DSN, e.Recorded.Fingerprint, e.Recorded.SetTime.Format(time.DateOnly), was)
	var got string
	if e.Given == "" {
		got = "; no --secret-key was given"
	} else {
		got = fmt.Sprintf(", but the key from %s has fingerprint %s", label(e.GivenSource), e.Given)
	}
	if e.DemoFileNote != "" {
		got += " (" + e.DemoFileNote + ")"
	}
	return head + got + ". Start with the database's key (--secret-key or WENMING_SECRET_KEY). " +
		"To change keys, stop every server and run 'wenming secret rotate --db " + e.DSN +
		"' with the old key in WENMING_SECRET_KEY and the new one in WENMING_NEW_SECRET_KEY (docs/reliability.md, \"The secret key\")"
}

// Settle decides which key a server runs with. given is the key the
// server was started with (Key nil for none); demo, if not nil, reads the
// demo secret file (nil key when there is none). The database's recorded
// fingerprint wins: a given key must match it; without one, the demo
// file's key is used when it matches. A database with no record yet takes
// the given key's fingerprint, after checking the key opens a contact an
// older server may have written. It returns nil and no error for a
// database without a record and a server without a key (contacts and
// participant ids are then refused).
func Settle(ctx context.Context, db *store.DB, given Candidate, demo func() ([]byte, error), now time.Time) (Candidate, error) {
	rec, ok, err := Recorded(ctx, db.W)
	if err != nil {
		return Candidate{}, err
	}
	if !ok {
		if given.Key == nil && demo != nil {
			// A --demo database from before fingerprints were recorded:
			// its demo file's key is taken if it opens its contacts.
			if key, err := demo(); err == nil && key != nil {
				if sampled, opens, err := feedback.ContactsOpenWith(ctx, db.W, key); err == nil && sampled && opens {
					given = Candidate{Key: key, Source: SourceDemoFile}
				}
			}
		}
		if given.Key == nil {
			return Candidate{}, nil
		}
		sampled, opens, err := feedback.ContactsOpenWith(ctx, db.W, given.Key)
		if err != nil {
			return Candidate{}, err
		}
		if sampled && !opens {
			return Candidate{}, fmt.Errorf("the contacts in %s were encrypted under another secret key than the one from %s (fingerprint %s); start with the key they were written with",
				db.DSN, label(given.Source), Fingerprint(given.Key))
		}
		// Two servers started together on a new database both get here:
		// the first record stands, and the other is checked against it.
		if _, err := db.W.ExecContext(ctx, db.W.Rebind(`INSERT INTO secret_key (id, fingerprint, source, set_time)
			VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING`), Fingerprint(given.Key), given.Source, store.Micros(now)); err != nil {
			return Candidate{}, fmt.Errorf("secretkey: record the fingerprint: %w", err)
		}
		if rec, _, err = Recorded(ctx, db.W); err != nil {
			return Candidate{}, err
		}
	}
	if given.Key != nil {
		if Fingerprint(given.Key) == rec.Fingerprint {
			return given, nil
		}
		return Candidate{}, &MismatchError{DSN: db.DSN, Recorded: rec, Given: Fingerprint(given.Key), GivenSource: given.Source}
	}
	mis := &MismatchError{DSN: db.DSN, Recorded: rec}
	if demo != nil {
		key, err := demo()
		switch {
		case err != nil:
			mis.DemoFileNote = "the demo secret file could not be read: " + err.Error()
		case key == nil:
		case Fingerprint(key) == rec.Fingerprint:
			return Candidate{Key: key, Source: SourceDemoFile}, nil
		default:
			mis.DemoFileNote = "wenming-demo.secret here holds a key with fingerprint " + Fingerprint(key)
		}
	}
	return Candidate{}, mis
}

// Rotate re-encrypts every contact from the old key to the new one and
// records the new key's fingerprint, in one transaction: either all of it
// happens or none. The old key must be the recorded one (when one is
// recorded). Participant pseudonyms cannot follow (see docs).
func Rotate(ctx context.Context, db *store.DB, oldKey, newKey []byte, now time.Time) (resealed, unreadable int, err error) {
	if Fingerprint(oldKey) == Fingerprint(newKey) {
		return 0, 0, errors.New("the new key is the old key")
	}
	err = db.WithTx(ctx, func(tx *store.Tx) error {
		rec, ok, err := Recorded(ctx, tx)
		if err != nil {
			return err
		}
		if ok && rec.Fingerprint != Fingerprint(oldKey) {
			return &MismatchError{DSN: db.DSN, Recorded: rec, Given: Fingerprint(oldKey), GivenSource: "WENMING_SECRET_KEY"}
		}
		if resealed, unreadable, err = feedback.ResealContacts(ctx, tx, oldKey, newKey); err != nil {
			return err
		}
		return put(ctx, tx, newKey, SourceFlag, now)
	})
	if err != nil {
		return 0, 0, err
	}
	return resealed, unreadable, nil
}
