package secretkey_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/secretkey"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

var (
	keyA = bytes.Repeat([]byte{0xa1}, 32)
	keyB = bytes.Repeat([]byte{0xb2}, 32)
	now  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

func noDemo() ([]byte, error) { return nil, nil }

// rateWithContact stores one bad review with a contact sealed under key.
func rateWithContact(t *testing.T, db *store.DB, key []byte) {
	t.Helper()
	ctx := context.Background()
	svc, err := feedback.New(rpc.Deps{DB: db, Secret: key})
	if err != nil {
		t.Fatal(err)
	}
	var target feedback.Target
	if err := db.WithTx(ctx, func(tx *store.Tx) error {
		target, err = svc.CreateTarget(ctx, tx, feedback.TargetInput{Kind: feedback.Department, Name: "机关食堂"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Rate(ctx, feedback.RatingInput{TargetID: target.ID, Level: 1, Comment: "排队太久", Contact: "13800000000"}); err != nil {
		t.Fatal(err)
	}
}

func TestTheFirstKeyIsRecordedAndAnotherIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		got, err := secretkey.Settle(ctx, db, secretkey.Candidate{Key: keyA, Source: secretkey.SourceFlag}, noDemo, now)
		if err != nil || !bytes.Equal(got.Key, keyA) {
			t.Fatalf("first start: %v, %v", got, err)
		}
		rec, ok, err := secretkey.Recorded(ctx, db.W)
		if err != nil || !ok || rec.Fingerprint != secretkey.Fingerprint(keyA) || rec.Source != secretkey.SourceFlag || !rec.SetTime.Equal(now) {
			t.Fatalf("recorded %+v %v %v", rec, ok, err)
		}
		if strings.Contains(rec.Fingerprint, "a1a1") {
			t.Fatalf("the fingerprint %s shows the key", rec.Fingerprint)
		}
		// The same key again starts.
		if _, err := secretkey.Settle(ctx, db, secretkey.Candidate{Key: keyA, Source: secretkey.SourceFlag}, noDemo, now); err != nil {
			t.Fatalf("same key: %v", err)
		}
		// Another key is refused, naming both fingerprints and the way out.
		_, err = secretkey.Settle(ctx, db, secretkey.Candidate{Key: keyB, Source: secretkey.SourceFlag}, noDemo, now)
		var mis *secretkey.MismatchError
		if !errors.As(err, &mis) {
			t.Fatalf("another key: %v, want a MismatchError", err)
		}
		for _, want := range []string{secretkey.Fingerprint(keyA), secretkey.Fingerprint(keyB), "wenming secret rotate"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("refusal %q does not say %q", err, want)
			}
		}
		// No key at all is refused too: the data needs one.
		if _, err := secretkey.Settle(ctx, db, secretkey.Candidate{}, noDemo, now); !errors.As(err, &mis) {
			t.Fatalf("no key: %v, want a MismatchError", err)
		}
	})
}

func TestADemoDatabaseFindsItsKeyWithoutDemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		demoFile := func() ([]byte, error) { return keyA, nil }
		if _, err := secretkey.Settle(ctx, db, secretkey.Candidate{Key: keyA, Source: secretkey.SourceDemoFile}, demoFile, now); err != nil {
			t.Fatal(err)
		}
		got, err := secretkey.Settle(ctx, db, secretkey.Candidate{}, demoFile, now)
		if err != nil || !bytes.Equal(got.Key, keyA) || got.Source != secretkey.SourceDemoFile {
			t.Fatalf("restart without --demo: %+v, %v; want the demo file's key", got, err)
		}
		// A demo file holding another key is named in the refusal.
		_, err = secretkey.Settle(ctx, db, secretkey.Candidate{}, func() ([]byte, error) { return keyB, nil }, now)
		if err == nil || !strings.Contains(err.Error(), secretkey.Fingerprint(keyB)) || !strings.Contains(err.Error(), "wenming-demo.secret") {
			t.Fatalf("demo file with another key: %v", err)
		}
	})
}

func TestAnUnrecordedDatabaseRefusesAKeyItsContactsDoNotOpenWith(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rateWithContact(t, db, keyA) // written before fingerprints were recorded
		if _, err := secretkey.Settle(ctx, db, secretkey.Candidate{Key: keyB, Source: secretkey.SourceFlag}, noDemo, now); err == nil {
			t.Fatal("a key the stored contacts do not open with was recorded")
		}
		if _, ok, _ := secretkey.Recorded(ctx, db.W); ok {
			t.Fatal("the refused key was recorded")
		}
		// Without --secret-key, the demo file's key is taken when it opens them.
		got, err := secretkey.Settle(ctx, db, secretkey.Candidate{}, func() ([]byte, error) { return keyA, nil }, now)
		if err != nil || !bytes.Equal(got.Key, keyA) {
			t.Fatalf("demo key that opens the contacts: %+v, %v", got, err)
		}
	})
}

func TestRotateReencryptsContactsAndRecordsTheNewKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := secretkey.Settle(ctx, db, secretkey.Candidate{Key: keyA, Source: secretkey.SourceFlag}, noDemo, now); err != nil {
			t.Fatal(err)
		}
		rateWithContact(t, db, keyA)
		rateWithContact(t, db, keyA)

		// Rotating from a key that is not the recorded one changes nothing.
		if _, _, err := secretkey.Rotate(ctx, db, keyB, keyA, now); err == nil {
			t.Fatal("rotate from the wrong key succeeded")
		}
		resealed, unreadable, err := secretkey.Rotate(ctx, db, keyA, keyB, now)
		if err != nil || resealed != 2 || unreadable != 0 {
			t.Fatalf("rotate = %d, %d, %v; want 2 re-encrypted", resealed, unreadable, err)
		}
		if _, opens, _ := feedback.ContactsOpenWith(ctx, db.W, keyB); !opens {
			t.Error("contacts do not open with the new key")
		}
		if _, opens, _ := feedback.ContactsOpenWith(ctx, db.W, keyA); opens {
			t.Error("contacts still open with the old key")
		}
		if _, err := secretkey.Settle(ctx, db, secretkey.Candidate{Key: keyB, Source: secretkey.SourceFlag}, noDemo, now); err != nil {
			t.Fatalf("start with the new key: %v", err)
		}
		if _, err := secretkey.Settle(ctx, db, secretkey.Candidate{Key: keyA, Source: secretkey.SourceFlag}, noDemo, now); err == nil {
			t.Fatal("the old key still starts")
		}
	})
}
