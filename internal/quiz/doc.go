// Package quiz is the etiquette-knowledge quiz: the question bank (versioned
// questions with answer keys), and later contests, attempts, leaderboards and
// item statistics. handler_*.go are the thin gRPC layer, question.go and
// friends hold the rules, store_*.go the SQL.
package quiz
