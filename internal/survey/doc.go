// Package survey is the resident-questionnaire domain (问卷调查),
// wenming.survey.v1: questionnaires (versioned, immutable once published),
// campaigns that run a version over strata with quotas and channels,
// responses validated against the version answered, and results — counts,
// shares and means with intervals, cross-tabs and post-stratified weighted
// estimates.
//
// Every number is computed by internal/scoring/stats (Wilson and t
// intervals, cell weights, raking, Kish's design effect); results.go only
// gathers the inputs. handler_*.go are the thin gRPC layer;
// questionnaire_model.go, campaign_model.go, response_model.go and
// results.go hold the rules, each unit-tested without a server;
// *_service.go the operations (a method taking a tx runs in the caller's
// transaction, one taking only a ctx opens its own); store_*.go and the
// services' SQL the storage. Responses are written through a group commit
// with request-id replay (store.BatchOnce).
//
// A questionnaire's and a campaign's content are documents always read
// whole, so they are kept as their wire messages (protojson in the
// database) rather than copied into parallel Go types.
package survey
