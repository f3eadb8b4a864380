// Package store opens wenming's SQL database — SQLite (embedded default) or
// PostgreSQL — through sqlx, applies the embedded goose migrations for that
// dialect, and provides the transaction and idempotency helpers every domain
// store builds on.
//
// Conventions shared by all domain stores:
//   - SQL is written once with ? placeholders and rebound by sqlx; only
//     statements that must differ are written per dialect.
//   - Instants are stored as BIGINT microseconds since the Unix epoch (UTC),
//     which sorts, indexes and compares the same way on both dialects.
//   - Structured values (option lists, tags) are JSON text.
//   - Migration files are numbered by area so areas do not collide:
//     000xx chassis, 001xx quiz, 002xx feedback, 003xx civility index,
//     004xx questionnaires. One file serves both dialects, with blocks for
//     the lines that must differ (migrations/README.md); a test checks that
//     both dialects end with the same schema.
package store
