package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/wenming/wenming/internal/apierr"
)

func TestErrorMapperKeepsRefusalsAndRetriesConflicts(t *testing.T) {
	t.Parallel()
	m := errorMapper{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, tc := range []struct {
		name   string
		err    error
		code   codes.Code
		reason apierr.Reason
	}{
		{"refusal", apierr.FailedPrecondition(apierr.CaseStateForbids, "case is closed"), codes.FailedPrecondition, apierr.CaseStateForbids},
		{"wrapped refusal", fmt.Errorf("ctx: %w", apierr.NotFound("case", "c1")), codes.NotFound, apierr.ResourceNotFound},
		{"serialization failure", fmt.Errorf("store: commit: %w", &pgconn.PgError{Code: "40001"}), codes.Aborted, apierr.TransactionConflict},
		{"deadlock", &pgconn.PgError{Code: "40P01"}, codes.Aborted, apierr.TransactionConflict},
		{"other database error", &pgconn.PgError{Code: "23505"}, codes.Internal, ""},
		{"plain error", errors.New("disk full"), codes.Internal, ""},
	} {
		got := m.mapErr(context.Background(), "/m", tc.err)
		if status.Code(got) != tc.code || apierr.ReasonOf(got) != tc.reason {
			t.Errorf("%s: mapped to %v (%q), want %v (%q)", tc.name, status.Code(got), apierr.ReasonOf(got), tc.code, tc.reason)
		}
		// What a client receives is the status: the reason must survive it.
		if st := status.Convert(got); tc.reason != "" && apierr.ReasonOf(st.Err()) != tc.reason {
			t.Errorf("%s: the status carries reason %q, want %q", tc.name, apierr.ReasonOf(st.Err()), tc.reason)
		}
	}
}
