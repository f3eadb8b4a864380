// Package backup takes consistent online copies of a SQLite wenming
// database and puts them back.
//
// Backup runs VACUUM INTO in a read transaction, so the server keeps
// writing (WAL lets readers and the writer run side by side) while the copy
// sees exactly the commits made before it began. Beside the copy it writes a
// manifest (FILE.json) with the copy's SHA-256, its schema version and the
// fingerprint of the server secret the data was written with: contacts are
// encrypted and participant ids keyed with sub-keys of that secret, so a
// database restored without the same secret is readable but its contacts
// are not. The fingerprint identifies the secret without revealing it.
//
// Restore checks the copy (checksum, PRAGMA integrity_check, a wenming
// schema, the fingerprint when a secret is given) and only then moves it
// into place, refusing a target another process has open and, unless
// forced, one that already holds data.
//
// PostgreSQL is backed up with its own tools (pg_dump/pg_restore); see
// docs/deploy.md.
package backup
