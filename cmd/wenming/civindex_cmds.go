package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

type importFrameworkCmd struct {
	File     string `arg:"" name:"file" placeholder:"FILE" type:"existingfile" help:"Framework YAML (docs/civindex.md)."`
	Publish  bool   `help:"Publish the framework so rounds can use it (default: leave it a draft)."`
	DBOption `embed:""`
}

func (c *importFrameworkCmd) Run(ctx context.Context, std stdio) error {
	in, closeIn, err := openInput(c.File)
	if err != nil {
		return err
	}
	defer closeIn()
	content, err := civindex.ParseFrameworkYAML(in)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	svc, db, err := openService(ctx, c.DB, rpc.Deps{}, civindex.New)
	if err != nil {
		return err
	}
	defer db.Close()
	frameworks := svc.Frameworks
	var (
		fw     civindex.Framework
		reused bool
	)
	if err := db.WithTx(ctx, func(tx *store.Tx) error {
		fw, reused, err = frameworks.Import(ctx, tx, content)
		return err
	}); err != nil {
		return err
	}
	if reused {
		fmt.Fprintf(std.err, "framework %q is already here with this content (id %s version %d); nothing added\n", fw.Name, fw.ID, fw.Version)
	}
	if c.Publish && !fw.Published() {
		if fw, err = frameworks.Publish(ctx, fw.ID); err != nil {
			return err
		}
	}
	fmt.Fprintln(std.out, fw.ID)
	fmt.Fprintf(std.err, "imported framework %q version %d (%s) with %d check items\n",
		fw.Name, fw.Version, strings.ToLower(string(fw.State)), len(fw.Items()))
	return nil
}

type importSitesCmd struct {
	File     string `arg:"" name:"file" placeholder:"FILE" type:"existingfile" help:"CSV (UTF-8 or GBK/GB18030) or XLSX with a header: name,category,unit[,latitude,longitude,address]."`
	DBOption `embed:""`
}

func (c *importSitesCmd) Run(ctx context.Context, std stdio) error {
	text, err := readSpreadsheet(std, c.File)
	if err != nil {
		return err
	}
	var v apierr.Violations
	cs := civindex.ParseSitesCSV(strings.NewReader(text), c.File, &v)
	if v.Len() > 0 {
		return fmt.Errorf("%d problem(s), nothing imported:\n  %s", v.Len(), strings.Join(v.Lines(), "\n  "))
	}
	svc, db, err := openService(ctx, c.DB, rpc.Deps{}, civindex.New)
	if err != nil {
		return err
	}
	defer db.Close()
	var (
		sites []civindex.Site
		added int
	)
	if err := db.WithTx(ctx, func(tx *store.Tx) error {
		sites, added, err = svc.Sites.Import(ctx, tx, cs...)
		return err
	}); err != nil {
		return err
	}
	for _, s := range sites {
		fmt.Fprintf(std.out, "%s\t%s\n", s.ID, s.Name)
	}
	fmt.Fprintf(std.err, "imported %d sites, %d already present (same name and unit)\n", added, len(sites)-added)
	return nil
}

type exportIndexCmd struct {
	Round       string `required:"" placeholder:"ID" help:"Round id."`
	OutputFlags `embed:""`
	DBOption    `embed:""`
}

func (c *exportIndexCmd) Run(ctx context.Context, std stdio) error {
	svc, db, err := openService(ctx, c.DB, rpc.Deps{}, civindex.New)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := svc.Reports.Round(ctx, c.Round, false)
	if err != nil {
		return err
	}
	w, closeOut, err := c.open(std, "exported sites")
	if err != nil {
		return err
	}
	err = civindex.ExportRows(d, w)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return err
}
