// Package account serves wenming.account.v1: trading an API key for a
// session token (what the staff console keeps in its cookie instead of the
// key), telling a caller who the server takes it for, and signing out. The
// sessions themselves are stored and resolved by internal/auth.
package account
