// Package apierr is how wenming refuses a request. Domain code returns an
// *Error: a gRPC code a client can act on, a machine-readable Reason (sent
// as google.rpc.ErrorInfo, domain "wenming") and a message for people; bad
// input also carries a google.rpc.BadRequest detail naming every offending
// field (Violations). Error.GRPCStatus is the one place such an error
// becomes a status, and the server's error interceptor (internal/server)
// is the one place any other error is judged: a PostgreSQL serialization
// failure or deadlock becomes ABORTED (retry), anything else INTERNAL with
// its cause logged, never returned. The reasons are listed in
// docs/errors.md.
package apierr
