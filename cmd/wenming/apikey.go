package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/wenming/wenming/internal/auth"
)

const apikeyUsage = `usage:
  wenming apikey create --role ROLE --name NAME [--scope SCOPE] [--db DSN]
  wenming apikey list [--db DSN]
  wenming apikey revoke --id ID [--db DSN]

roles: admin, kiosk, inspector, officer, analyst
`

func apikey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, apikeyUsage)
		return errors.New("apikey needs a subcommand")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("apikey "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs)
	role := fs.String("role", "", "role of the new key")
	name := fs.String("name", "", "who or what the key is for")
	scope := fs.String("scope", "", "officer: department id; kiosk: community")
	id := fs.String("id", "", "key id (from apikey list)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	open := func() (*auth.Keys, func(), error) {
		db, err := openMigrated(ctx, *dsn)
		if err != nil {
			return nil, nil, err
		}
		return auth.NewKeys(db), func() { db.Close() }, nil
	}
	switch sub {
	case "create":
		r, err := auth.ParseRole(*role)
		if err != nil {
			return fmt.Errorf("--role: %w", err)
		}
		if *name == "" {
			return errors.New("--name is required")
		}
		keys, done, err := open()
		if err != nil {
			return err
		}
		defer done()
		secret, k, err := keys.Create(ctx, r, *name, *scope)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
		fmt.Fprintf(stderr, "created %s key %q (id %s); the key is shown only now\n", k.Role, k.Name, k.ID)
		return nil
	case "list":
		keys, done, err := open()
		if err != nil {
			return err
		}
		defer done()
		list, err := keys.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tNAME\tSCOPE\tPREFIX\tCREATED\tREVOKED")
		for _, k := range list {
			revoked := "-"
			if k.RevokeTime != nil {
				revoked = k.RevokeTime.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s…\t%s\t%s\n", k.ID, k.Role, k.Name, dash(k.Scope), k.Prefix,
				k.CreateTime.Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		if *id == "" {
			return errors.New("--id is required")
		}
		keys, done, err := open()
		if err != nil {
			return err
		}
		defer done()
		if err := keys.Revoke(ctx, *id); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "revoked key %s\n", *id)
		return nil
	}
	fmt.Fprint(stderr, apikeyUsage)
	return fmt.Errorf("unknown apikey subcommand %q", sub)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
