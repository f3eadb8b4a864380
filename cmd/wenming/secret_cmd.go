package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wenming/wenming/internal/secretkey"
)

type secretCmd struct {
	Rotate secretRotateCmd `cmd:"" help:"Re-encrypt raters' contacts under a new secret key and record its fingerprint, in one transaction. Stop every server first."`
}

type secretRotateCmd struct {
	DBOption     `embed:""`
	SecretKey    string `name:"secret-key" env:"WENMING_SECRET_KEY" placeholder:"KEY" help:"The key the database is kept under now (default: wenming-demo.secret in this directory, when it is that key)."`
	NewSecretKey string `name:"new-secret-key" env:"WENMING_NEW_SECRET_KEY" required:"" placeholder:"KEY" help:"The new key, 32 bytes as hex or base64 (e.g. 'openssl rand -hex 32'); start servers with it afterwards."`
}

func (c *secretRotateCmd) Validate() error {
	var errs []error
	if _, err := parseSecret(c.SecretKey); err != nil {
		errs = append(errs, fmt.Errorf("--secret-key: %w", err))
	}
	if k, err := parseSecret(c.NewSecretKey); err != nil || k == nil {
		if err == nil {
			err = errors.New("is required")
		}
		errs = append(errs, fmt.Errorf("--new-secret-key: %w", err))
	}
	return errors.Join(errs...)
}

func (c *secretRotateCmd) Run(ctx context.Context, std stdio) error {
	db, err := openExisting(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	oldKey, _ := parseSecret(c.SecretKey) // checked by Validate
	newKey, _ := parseSecret(c.NewSecretKey)
	if oldKey == nil {
		rec, ok, err := secretkey.Recorded(ctx, db.W)
		if err != nil {
			return err
		}
		demo, err := readSecretFile(demoSecretFile)
		if err != nil {
			return err
		}
		if !ok || demo == nil || secretkey.Fingerprint(demo) != rec.Fingerprint {
			return errors.New("--secret-key (or WENMING_SECRET_KEY) is needed: the key the database is kept under now")
		}
		oldKey = demo
	}
	resealed, unreadable, err := secretkey.Rotate(ctx, db, oldKey, newKey, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "secret key of %s: %s → %s\n", db.DSN, secretkey.Fingerprint(oldKey), secretkey.Fingerprint(newKey))
	fmt.Fprintf(std.out, "contacts re-encrypted: %d\n", resealed)
	if unreadable > 0 {
		fmt.Fprintf(std.out, "contacts left as they were (they did not open with the old key either): %d\n", unreadable)
	}
	fmt.Fprintln(std.out, "start every server with the new key. Participant pseudonyms cannot follow: a phone number")
	fmt.Fprintln(std.out, "or card that played before counts as a new participant (attempt limits start again).")
	return nil
}
