//go:build !unix

package store

import "context"

// lockDir does nothing where flock(2) is missing: SQLite migrations of two
// processes started at once on one file are then not kept apart.
func lockDir(context.Context, string) (func(), error) { return func() {}, nil }
