package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/civindex/supervision"
	"github.com/wenming/wenming/internal/rpc"
)

// verifyCmd checks supervision records (docs/supervision.md).
type verifyCmd struct {
	Draw  verifyDrawCmd  `cmd:"" help:"Recompute a spot-check draw from its published frame, commitment and seed."`
	Chain verifyChainCmd `cmd:"" help:"Recompute a round's hash chain from the database and name the first record that does not match."`
}

type verifyDrawCmd struct {
	File        string `placeholder:"FILE" help:"A draw document as ExportDraw writes it (no database needed)."`
	Draw        string `placeholder:"ID" help:"A draw in the database (--db) instead of a file."`
	Seed        string `placeholder:"HEX" help:"Use this revealed seed instead of the document's."`
	Commitment  string `placeholder:"HEX" help:"Check against this commitment (as published before the draw) instead of the document's."`
	FrameSHA256 string `name:"frame-sha256" placeholder:"HEX" help:"Check against this frame hash (as published before the draw) instead of the document's."`
	DBOption    `embed:""`
}

func (c *verifyDrawCmd) Run(ctx context.Context, std stdio) error {
	if (c.File == "") == (c.Draw == "") {
		return usageError{errors.New("give --file FILE or --draw ID")}
	}
	var doc supervision.DrawDocument
	var scope []string
	if c.File != "" {
		b, err := os.ReadFile(c.File)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: not a draw document: %w", c.File, err)
		}
	} else {
		svc, db, err := openService(ctx, c.DB, rpc.Deps{}, supervision.New)
		if err != nil {
			return err
		}
		defer db.Close()
		d, err := svc.GetDraw(ctx, c.Draw)
		if err != nil {
			return err
		}
		doc = d.Document()
		if d.RoundID != "" {
			r, err := svc.Civ.Rounds.Get(ctx, d.RoundID)
			if err != nil {
				return err
			}
			scope = r.SiteIDs
		}
	}
	for _, o := range []struct{ flag, dst *string }{{&c.Seed, &doc.Seed}, {&c.Commitment, &doc.Commitment}, {&c.FrameSHA256, &doc.FrameSHA256}} {
		if *o.flag != "" {
			*o.dst = *o.flag
		}
	}
	v := supervision.VerifyDocument(doc)
	if c.Draw != "" && doc.RoundID != "" {
		ok := slices.Equal(slices.Sorted(slices.Values(scope)), v.Drawn)
		v.Checks = append(v.Checks, supervision.Check{Name: "round", OK: ok,
			Detail: fmt.Sprintf("round %s has %d sites in scope; the draw gives %d", doc.RoundID, len(scope), len(v.Drawn))})
		v.OK = v.OK && ok
	}
	for _, ch := range v.Checks {
		mark := "ok  "
		if !ch.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(std.out, "%s %-12s %s\n", mark, ch.Name, ch.Detail)
	}
	if !v.OK {
		return errors.New("the draw does not verify")
	}
	fmt.Fprintf(std.out, "draw %s verifies: %d sites drawn\n", doc.DrawID, len(v.Drawn))
	return nil
}

type verifyChainCmd struct {
	Round    string `required:"" placeholder:"ID" help:"Round id."`
	DBOption `embed:""`
}

func (c *verifyChainCmd) Run(ctx context.Context, std stdio) error {
	db, err := openExisting(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := civindex.New(rpc.Deps{DB: db})
	if err != nil {
		return err
	}
	if _, err := svc.Rounds.Get(ctx, c.Round); err != nil {
		return err
	}
	res, err := civindex.VerifyChain(ctx, db.R, c.Round)
	if err != nil {
		return err
	}
	if !res.OK {
		if res.Seq > 0 {
			fmt.Fprintf(std.out, "FAIL link %d (inspection %s revision %d): %s\n", res.Seq, res.InspectionID, res.Revision, res.Problem)
		} else {
			fmt.Fprintf(std.out, "FAIL %s\n", res.Problem)
		}
		return fmt.Errorf("the chain of round %s does not verify", c.Round)
	}
	fmt.Fprintf(std.out, "round %s: %d links verify; head %s\n", c.Round, res.Links, res.Head)
	return nil
}
