// Command wenming runs the civility-campaign service and its admin tasks.
// `wenming --help` lists the commands; `wenming COMMAND --help` explains
// one. The command line is parsed by kong from the structs in this
// package: each command is a struct whose fields are its flags and whose
// Run method does the work.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // time zones work on machines and images without zoneinfo

	"github.com/alecthomas/kong"
)

// cli is the whole command line.
type cli struct {
	Serve       serveCmd       `cmd:"" help:"Run the gRPC and HTTP servers."`
	Migrate     migrateCmd     `cmd:"" help:"Apply database migrations (or list them with 'migrate status')."`
	Apikey      apikeyCmd      `cmd:"" help:"Create, list or revoke API keys."`
	Import      importCmd      `cmd:"" help:"Load questions, feedback targets, an index framework or sites from a file."`
	Export      exportCmd      `cmd:"" help:"Write ratings, cases or a round's index as CSV."`
	Version     versionCmd     `cmd:"" help:"Print the version and commit of this binary."`
	Healthcheck healthcheckCmd `cmd:"" help:"Exit 0 when the server on this machine is ready (for container health checks)."`
	Backup      backupCmd      `cmd:"" help:"Copy a SQLite database while the server keeps writing (--to FILE)."`
	Restore     restoreCmd     `cmd:"" help:"Put a checked backup in place of a stopped server's database (--from FILE)."`
	Verify      verifyCmd      `cmd:"" help:"Re-derive a spot-check draw or a round's hash chain and say whether it matches."`
	Secret      secretCmd      `cmd:"" help:"Change the server secret key the database's data is kept under ('secret rotate')."`
	Feedback    feedbackCmd    `cmd:"" help:"Feedback maintenance: rebuild-aggregates."`
}

const description = `wenming runs a city's civility campaign: quiz contests at kiosks, service
ratings with case follow-up, and civility-index inspections.

Every command that reads the database takes --db (env WENMING_DB), default
sqlite:wenming.db. Only 'serve' and 'migrate' create a database; the others
refuse one that does not exist or whose schema is not current.`

// stdio is what a command writes to; bound into every Run method.
type stdio struct {
	out, err io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "wenming:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a command line that kong or a command's Validate refused;
// main exits 2 for it (1 for a command that failed while running).
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// exitRequest carries kong's request to exit (after printing help) out
// of the parser, so run returns instead of ending the process.
type exitRequest int

// run parses args and runs the chosen command. Help, and a bare `wenming`,
// print usage to stdout and return nil.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	var c cli
	envs := &envResolver{}
	parser, err := kong.New(&c,
		kong.Name("wenming"),
		kong.Description(description),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitRequest(code)) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true, NoExpandSubcommands: false}),
		kong.BindTo(ctx, (*context.Context)(nil)),
		kong.Bind(stdio{out: stdout, err: stderr}),
		kong.Resolvers(envs),
	)
	if err != nil {
		return err
	}
	envs.take(parser.Model)
	if len(args) == 0 {
		args = []string{"--help"}
	}
	defer func() {
		if r := recover(); r != nil {
			code, ok := r.(exitRequest)
			if !ok {
				panic(r)
			}
			if code != 0 {
				err = usageError{fmt.Errorf("exit status %d", code)}
			}
		}
	}()
	kctx, err := parser.Parse(args)
	if err != nil {
		var pe *kong.ParseError
		if errors.As(err, &pe) && pe.Context != nil && pe.Context.Selected() != nil {
			return usageError{fmt.Errorf("%w (see 'wenming %s --help')", err, pe.Context.Selected().Path())}
		}
		return usageError{fmt.Errorf("%w (see 'wenming --help')", err)}
	}
	return kctx.Run()
}
