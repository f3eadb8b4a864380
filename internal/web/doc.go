// Package web is the plumbing shared by wenming's browser apps (the
// feedback form, the kiosk, the staff console): embedded static files under
// content-hashed URLs, html/template pages, security headers, the mapping
// from a gRPC status to what a page shows, and the outgoing context a page
// handler uses to call the API.
//
// Pages are clients of the API, like the JSON gateway: a handler calls the
// RPCs over the server's in-process gRPC connection (App.Conn) with the
// caller's key (or none) and real client address, so access rules, rate
// limits, validation, idempotency and metrics run once for every caller.
// This package imports no domain package; each app lives in its own
// package beneath it and is mounted by internal/server.
package web
