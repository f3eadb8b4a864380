package feedback

import (
	"context"
	"fmt"

	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// The contacts of raters are the only column wenming encrypts with the
// server secret; `wenming secret rotate` re-encrypts them here.

func sealerFor(secret []byte) (*sealer, error) {
	key := rpc.Deps{Secret: secret}.SubKey(contactKeyPurpose)
	if key == nil {
		return nil, fmt.Errorf("feedback: no secret key")
	}
	return newSealer(key)
}

// ContactsOpenWith reports whether the newest stored contact opens with
// secret; sampled is false when no rating holds a contact. It lets a
// server that records the key's fingerprint for the first time check the
// key against what a previous one wrote.
func ContactsOpenWith(ctx context.Context, q store.Queryer, secret []byte) (sampled, opens bool, err error) {
	sl, err := sealerFor(secret)
	if err != nil {
		return false, false, err
	}
	var rows []struct {
		ID      string `db:"id"`
		Contact []byte `db:"contact"`
	}
	if err := q.SelectContext(ctx, &rows, `SELECT id, contact FROM feedback_ratings
		WHERE contact IS NOT NULL ORDER BY create_time DESC, id DESC LIMIT 1`); err != nil {
		return false, false, fmt.Errorf("feedback: read a contact: %w", err)
	}
	if len(rows) == 0 {
		return false, false, nil
	}
	_, err = sl.open(rows[0].ID, rows[0].Contact)
	return true, err == nil, nil
}

// ResealContacts re-encrypts every stored contact from the old secret to
// the new one inside tx. A contact that does not open with the old secret
// (written under some third key) is left as it was and counted in
// unreadable: it was unreadable before and stays so.
func ResealContacts(ctx context.Context, tx *store.Tx, oldSecret, newSecret []byte) (resealed, unreadable int, err error) {
	from, err := sealerFor(oldSecret)
	if err != nil {
		return 0, 0, err
	}
	to, err := sealerFor(newSecret)
	if err != nil {
		return 0, 0, err
	}
	var rows []struct {
		ID      string `db:"id"`
		Contact []byte `db:"contact"`
	}
	// Contacts are a small share of ratings (only bad reviews that ask
	// for a call back), so they are read in one go.
	if err := tx.SelectContext(ctx, &rows, `SELECT id, contact FROM feedback_ratings WHERE contact IS NOT NULL ORDER BY id`); err != nil {
		return 0, 0, fmt.Errorf("feedback: read contacts: %w", err)
	}
	update := tx.Rebind(`UPDATE feedback_ratings SET contact = ? WHERE id = ?`)
	for _, r := range rows {
		plain, err := from.open(r.ID, r.Contact)
		if err != nil {
			unreadable++
			continue
		}
		box, err := to.seal(r.ID, plain)
		if err != nil {
			return 0, 0, err
		}
		if _, err := tx.ExecContext(ctx, update, box, r.ID); err != nil {
			return 0, 0, fmt.Errorf("feedback: reseal contact of rating %s: %w", r.ID, err)
		}
		resealed++
	}
	return resealed, unreadable, nil
}
