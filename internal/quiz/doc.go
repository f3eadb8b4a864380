// Package quiz is the etiquette-knowledge quiz: the question bank
// (versioned questions with answer keys), contests, attempts with
// server-drawn frozen papers and a server-owned clock, leaderboards and item
// statistics. handler_*.go are the thin gRPC layer; question.go,
// contest_model.go and attempt.go hold the rules as plain functions;
// bank.go, contest_service.go, play.go and leaderboard.go the operations (a
// method taking a tx runs in the caller's transaction, one taking only a
// ctx opens its own); store_*.go the SQL; store_leaderboard_counts.go owns
// leaderboard_counts. Scoring is
// scoring.ScoreAnswer and every statistic comes from scoring/stats.
// docs/quiz.md describes the rules and walks through a kiosk game.
package quiz
