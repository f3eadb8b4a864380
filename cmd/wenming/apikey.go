package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

type apikeyCmd struct {
	Create apikeyCreateCmd `cmd:"" help:"Make a key and print it alone on stdout (it is shown only now)."`
	List   apikeyListCmd   `cmd:"" help:"List keys: id, role, name, scope, prefix, created, revoked."`
	Revoke apikeyRevokeCmd `cmd:"" help:"Revoke a key; servers stop accepting it within 30 seconds."`
}

type apikeyCreateCmd struct {
	DBOption `embed:""`
	Role     string `required:"" placeholder:"ROLE" enum:"admin,kiosk,inspector,officer,analyst" help:"Role of the new key: admin, kiosk, inspector, officer or analyst."`
	Name     string `required:"" placeholder:"NAME" help:"Who or what the key is for."`
	Scope    string `placeholder:"ID" help:"officer: the id of an existing department (required); kiosk: its community (optional)."`
}

// Validate checks what can be checked without the database.
func (c *apikeyCreateCmd) Validate() error {
	switch {
	case c.Role == string(auth.Officer) && c.Scope == "":
		return errors.New("--scope is required for an officer key: the id of the department whose cases it works")
	case c.Scope != "" && c.Role != string(auth.Officer) && c.Role != string(auth.Kiosk):
		return fmt.Errorf("--scope means nothing for a %s key", c.Role)
	}
	return nil
}

func (c *apikeyCreateCmd) Run(ctx context.Context, std stdio) error {
	role, err := auth.ParseRole(c.Role)
	if err != nil {
		return fmt.Errorf("--role: %w", err)
	}
	db, err := openExisting(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if role == auth.Officer {
		if err := checkDepartment(ctx, db, c.Scope); err != nil {
			return err
		}
	}
	secret, k, err := auth.NewKeys(db).Create(ctx, role, c.Name, c.Scope)
	if err != nil {
		return err
	}
	fmt.Fprintln(std.out, secret)
	fmt.Fprintf(std.err, "created %s key %q (id %s); the key is shown only now\n", k.Role, k.Name, k.ID)
	return nil
}

// checkDepartment refuses an officer scope that is not a department: such
// a key would authenticate but never see a case.
func checkDepartment(ctx context.Context, db *store.DB, id string) error {
	svc, err := feedback.New(rpc.Deps{DB: db, Location: time.UTC})
	if err != nil {
		return err
	}
	t, err := svc.GetTarget(ctx, db.R, id)
	if apierr.ReasonOf(err) == apierr.ResourceNotFound {
		return fmt.Errorf("--scope %q: no such department (list them with GET /v1/feedback/targets?kind=TARGET_KIND_DEPARTMENT)", id)
	}
	if err != nil {
		return err
	}
	if t.Kind != feedback.Department {
		return fmt.Errorf("--scope %q is a %s (%s), not a department", id, t.Kind, t.Name)
	}
	return nil
}

type apikeyListCmd struct {
	DBOption `embed:""`
}

func (c *apikeyListCmd) Run(ctx context.Context, std stdio) error {
	db, err := openExisting(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := auth.NewKeys(db).List(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
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
}

type apikeyRevokeCmd struct {
	DBOption `embed:""`
	ID       string `name:"id" required:"" placeholder:"ID" help:"Key id (from 'apikey list')."`
}

func (c *apikeyRevokeCmd) Run(ctx context.Context, std stdio) error {
	db, err := openExisting(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := auth.NewKeys(db).Revoke(ctx, c.ID); err != nil {
		return err
	}
	fmt.Fprintf(std.err, "revoked key %s\n", c.ID)
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
