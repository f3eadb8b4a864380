package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// cliCommand runs one `wenming import KIND` or `wenming export KIND`.
type cliCommand func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// importKinds and exportKinds are what `wenming import` and `wenming
// export` can do. Each domain adds its own kinds from its own file (an
// init function adding to these maps), so no two share a switch.
var (
	importKinds = map[string]cliCommand{}
	exportKinds = map[string]cliCommand{}
)

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

// openService opens and migrates the database and builds one domain over
// it with build (the domain's New) from d; close releases the database.
func openService[S, O any](ctx context.Context, dsn string, d rpc.Deps, build func(rpc.Deps, ...O) (S, error)) (svc S, db *store.DB, err error) {
	if db, err = openMigrated(ctx, dsn); err != nil {
		return svc, nil, err
	}
	d.DB = db
	if svc, err = build(d); err != nil {
		db.Close()
		return svc, nil, err
	}
	return svc, db, nil
}
