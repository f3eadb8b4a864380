// Package survey is the resident-questionnaire domain (问卷调查),
// wenming.survey.v1: questionnaires (versioned, immutable once published),
// campaigns that run a version over strata with quotas and channels,
// responses validated against the version answered, and results — counts,
// shares and means with intervals, cross-tabs and post-stratified weighted
// estimates. The numbers themselves come from internal/scoring/stats.
//
// A questionnaire's and a campaign's content are documents always read
// whole, so they are kept as their wire messages (protojson in the
// database); the rules about them live in plain functions here
// (validateContent, validateCampaign, checkAnswers, computeResults), each
// unit-tested without a server.
package survey
