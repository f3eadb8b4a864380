// Package feedback is service-satisfaction rating (好差评): the tree of
// rated targets with their rating forms, anonymous ratings with encrypted
// contacts, statistics kept fast by daily aggregates, and the cases bad
// reviews open, which the owning department must answer within a number of
// working days.
//
// handler_*.go are the thin gRPC layer; *_model.go (targets, ratings,
// cases) and summary.go hold the types and rules as plain functions;
// *_service.go run them in transactions (a method taking a tx runs in the
// caller's, one taking only a ctx opens its own); store_*.go hold the SQL;
// rating_totals.go owns the aggregate tables.
//
// Officers see only the cases of the department their key is scoped to (or
// a case another department asked them to take over). A case of any other
// department is NOT_FOUND rather than PERMISSION_DENIED, so an officer
// cannot learn which cases exist elsewhere.
package feedback
