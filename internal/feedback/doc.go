// Package feedback is service-satisfaction rating (好差评): the tree of
// rated targets with their rating forms, anonymous ratings with encrypted
// contacts, statistics kept fast by daily aggregates, and the cases bad
// reviews open, which the owning department must answer within a number of
// working days.
//
// handler_*.go are the thin gRPC layer; target.go, rating.go, case.go and
// summary.go hold the rules as plain functions; targets.go, ratings.go and
// cases.go run them in transactions; store_*.go hold the SQL.
//
// Officers see only the cases of the department their key is scoped to (or
// a case another department asked them to take over). A case of any other
// department is NOT_FOUND rather than PERMISSION_DENIED, so an officer
// cannot learn which cases exist elsewhere.
package feedback
