package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/store"
)

// cliCommand runs one `wenming import KIND` or `wenming export KIND`.
type cliCommand func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// importKinds and exportKinds are what `wenming import` and `wenming
// export` can do. Each domain adds its own kinds from its own file (an
// init function adding to these maps), so no two share a switch.
var (
	importKinds = map[string]cliCommand{"framework": importFramework, "sites": importSites}
	exportKinds = map[string]cliCommand{"index": exportIndex}
)

const civindexUsage = `usage:
  wenming import framework FILE [--publish] [--db DSN]    indicator framework (YAML, docs/civindex.md)
  wenming import sites FILE [--db DSN]                    sites (CSV: name,category,unit[,latitude,longitude,address])
  wenming export index --round ID [--out FILE] [--db DSN] a round's site scores as CSV
`

// runKind runs `wenming import KIND …` or `wenming export KIND …`, listing
// the registered kinds when KIND is missing or unknown.
func runKind(ctx context.Context, verb string, args []string, stdout, stderr io.Writer) error {
	kinds := importKinds
	if verb == "export" {
		kinds = exportKinds
	}
	if len(args) > 0 && kinds[args[0]] != nil {
		return kinds[args[0]](ctx, args[1:], stdout, stderr)
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	fmt.Fprintf(stderr, "usage: wenming %s KIND [flags]  (KIND: %s; \"wenming %s KIND -h\" for its flags)\n",
		verb, strings.Join(names, ", "), verb)
	if len(args) == 0 {
		return fmt.Errorf("%s needs a kind: %s", verb, strings.Join(names, ", "))
	}
	return fmt.Errorf("unknown %s kind %q (want one of: %s)", verb, args[0], strings.Join(names, ", "))
}

// parseWithFile parses flags given before or after one positional FILE.
func parseWithFile(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", errors.New("which file? give its path")
	}
	file := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	return file, nil
}

func openMigrated(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
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
	db, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	frameworks := civindex.NewFrameworks(db)
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
	db, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var sites []civindex.Site
	if err := db.WithTx(ctx, func(tx *store.Tx) error {
		sites, err = civindex.NewSites(db).Create(ctx, tx, cs...)
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
	db, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := civindex.NewReports(db).Round(ctx, *round, false)
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
