package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

const civindexUsage = `usage:
  wenming import framework FILE [--publish] [--db DSN]    indicator framework (YAML, docs/civindex.md)
  wenming import sites FILE [--db DSN]                    sites (CSV: name,category,unit[,latitude,longitude,address])
  wenming export index --round ID [--out FILE] [--db DSN] a round's site scores as CSV
`

// `wenming import framework|sites` and `wenming export index` load and
// dump the civilization index.
func init() {
	importKinds["framework"] = importFramework
	importKinds["sites"] = importSites
	exportKinds["index"] = exportIndex
}

func importFramework(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import framework", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, civindexUsage) }
	dsn := dbFlag(fs)
	publish := fs.Bool("publish", false, "publish the framework so rounds can use it (default: leave it a draft)")
	path, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	content, err := civindex.ParseFrameworkYAML(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	svc, db, err := openService(ctx, *dsn, rpc.Deps{}, civindex.New)
	if err != nil {
		return err
	}
	defer db.Close()
	frameworks := svc.Frameworks
	var fw civindex.Framework
	if err := db.WithTx(ctx, func(tx *store.Tx) error {
		fw, err = frameworks.Create(ctx, tx, content)
		return err
	}); err != nil {
		return err
	}
	if *publish {
		if fw, err = frameworks.Publish(ctx, fw.ID); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, fw.ID)
	fmt.Fprintf(stderr, "imported framework %q version %d (%s) with %d check items\n",
		fw.Name, fw.Version, strings.ToLower(string(fw.State)), len(fw.Items()))
	return nil
}

func importSites(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import sites", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, civindexUsage) }
	dsn := dbFlag(fs)
	path, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var v apierr.Violations
	cs := civindex.ParseSitesCSV(f, path, &v)
	if v.Len() > 0 {
		return fmt.Errorf("%d problem(s), nothing imported:\n  %s", v.Len(), strings.Join(v.Lines(), "\n  "))
	}
	svc, db, err := openService(ctx, *dsn, rpc.Deps{}, civindex.New)
	if err != nil {
		return err
	}
	defer db.Close()
	var sites []civindex.Site
	if err := db.WithTx(ctx, func(tx *store.Tx) error {
		sites, err = svc.Sites.Create(ctx, tx, cs...)
		return err
	}); err != nil {
		return err
	}
	for _, s := range sites {
		fmt.Fprintf(stdout, "%s\t%s\n", s.ID, s.Name)
	}
	fmt.Fprintf(stderr, "imported %d sites\n", len(sites))
	return nil
}

func exportIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export index", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, civindexUsage) }
	dsn := dbFlag(fs)
	round := fs.String("round", "", "round id (required)")
	out := fs.String("out", "", "write to this file instead of stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *round == "" {
		return errors.New("--round is required")
	}
	svc, db, err := openService(ctx, *dsn, rpc.Deps{}, civindex.New)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := svc.Reports.Round(ctx, *round, false)
	if err != nil {
		return err
	}
	text, err := civindex.ExportCSV(d)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = io.WriteString(stdout, text)
		return err
	}
	return os.WriteFile(*out, []byte(text), 0o644)
}
