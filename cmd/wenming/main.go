// Command wenming runs the civility-campaign service and its admin tasks.
//
//	wenming [serve] [flags]        run the gRPC and HTTP servers (default)
//	wenming migrate [flags]        apply database migrations and exit
//	wenming apikey create|list|revoke [flags]
//	wenming import KIND FILE [flags]  questions, targets, framework, sites
//	wenming export KIND [flags]       ratings, cases, index
//	wenming backup --to FILE          online copy of a SQLite database
//	wenming restore --from FILE       put a backup in place
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

const usage = `usage: wenming <command> [flags]

commands:
  serve     run the gRPC and HTTP servers (the default)
  migrate   apply database migrations and exit
  apikey    create, list or revoke API keys
  import    load questions, feedback targets, an index framework or sites from a file
  export    write ratings, cases or a round's index as CSV
  backup    copy a SQLite database while the server runs (--to FILE)
  restore   put a backup in place of a stopped server's database (--from FILE)

Run "wenming <command> -h" for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "wenming:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, stderr)
	case "apikey":
		return apikey(ctx, args, stdout, stderr)
	case "import", "export": // kinds registered in importKinds, exportKinds
		return runKind(ctx, cmd, args, stdout, stderr)
	case "backup":
		return backupCmd(ctx, args, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// envOr returns the environment variable's value, or def when it is unset
// or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// envInts defines int flags whose defaults come from environment
// variables. A variable that is set but is not an integer is an error
// naming it (reported by err once the flags are parsed), not a silent
// fallback to the built-in default.
type envInts struct {
	fs   *flag.FlagSet
	errs []error
}

// Int defines the flag name with the value of env, or def when env is
// unset or empty.
func (e *envInts) Int(name, env string, def int, usage string) *int {
	v := def
	if s := os.Getenv(env); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q is not a whole number", env, s))
		}
		v = n
	}
	return e.fs.Int(name, v, usage)
}

// err reports the malformed variables.
func (e *envInts) err() error { return errors.Join(e.errs...) }

// dbFlag adds the --db flag shared by every command.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", envOr("WENMING_DB", "sqlite:wenming.db"),
		"database: sqlite:PATH or postgres://… (env WENMING_DB)")
}
