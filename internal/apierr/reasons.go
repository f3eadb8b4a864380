package apierr

// Reason is the machine-readable cause of a refusal, sent as
// google.rpc.ErrorInfo.reason in the "wenming" domain. Clients and tests
// match reasons, never message text. docs/errors.md lists them all (a test
// keeps it complete); add a reason there when you add one here.
type Reason string

// Reasons every domain uses.
const (
	// InvalidArgument: fields of the request are wrong; the BadRequest
	// detail names each one.
	InvalidArgument Reason = "INVALID_ARGUMENT"
	// ResourceNotFound: the named resource does not exist (metadata kind
	// and id say which).
	ResourceNotFound Reason = "NOT_FOUND"
	// RequestIDReused: the request_id was already used for a different
	// request.
	RequestIDReused Reason = "REQUEST_ID_REUSED"
	// RequestIDInFlight: another request with the same request_id was
	// being written at the same moment; retry.
	RequestIDInFlight Reason = "REQUEST_ID_IN_FLIGHT"
	// TransactionConflict: the database refused the transaction
	// (serialization failure or deadlock); retry.
	TransactionConflict Reason = "TRANSACTION_CONFLICT"
	// ShuttingDown: the server is draining; retry against another one.
	ShuttingDown Reason = "SHUTTING_DOWN"
	// DatabaseUnavailable: the database cannot be reached (refused, cut
	// or failing); nothing was written that was not acknowledged; retry
	// after the RetryInfo delay, here or on another replica.
	DatabaseUnavailable Reason = "DATABASE_UNAVAILABLE"
	// NoSecretKey: the server has no --secret-key, so it cannot
	// pseudonymise participants or encrypt contacts.
	NoSecretKey Reason = "NO_SECRET_KEY"
)

// Reasons of access control (internal/auth).
const (
	APIKeyMissing   Reason = "API_KEY_MISSING"
	APIKeyMalformed Reason = "API_KEY_MALFORMED"
	APIKeyUnknown   Reason = "API_KEY_UNKNOWN"
	// MethodClosed: no role may call the method.
	MethodClosed Reason = "METHOD_CLOSED"
	// RoleForbidden: the key's role may not call the method.
	RoleForbidden Reason = "ROLE_FORBIDDEN"
	// KeyNotScoped: an officer key without a department.
	KeyNotScoped Reason = "KEY_NOT_SCOPED"
	// OutOfScope: the key's scope (department) does not cover the resource.
	OutOfScope Reason = "OUT_OF_SCOPE"
	// SessionNeedsKey: a session is started, or a key's own call ended,
	// only with the API key itself, not with a session token (and
	// sign-out only with a session token).
	SessionNeedsKey Reason = "SESSION_NEEDS_KEY"
	// SessionEnded: the session token is unknown, idle too long, signed
	// out, past its end, or its key was revoked.
	SessionEnded Reason = "SESSION_ENDED"
)

// Reasons of the quiz.
const (
	QuestionRetired Reason = "QUESTION_RETIRED"
	// ContestStateForbids: the contest's state (draft, published, closed)
	// does not allow the change.
	ContestStateForbids Reason = "CONTEST_STATE_FORBIDS"
	// ContestNotPublishable: the draft fails the checks for publishing.
	ContestNotPublishable Reason = "CONTEST_NOT_PUBLISHABLE"
	// ContestNotOpen: not published yet, not started or already ended.
	ContestNotOpen Reason = "CONTEST_NOT_OPEN"
	// CommunityMismatch: the contest is for another community.
	CommunityMismatch Reason = "COMMUNITY_MISMATCH"
	// AttemptLimitReached: the participant has used every attempt.
	AttemptLimitReached Reason = "ATTEMPT_LIMIT_REACHED"
	// PaperUnavailable: too few active questions to draw a paper.
	PaperUnavailable Reason = "PAPER_UNAVAILABLE"
	// AttemptDeadlinePassed: the attempt's time is up.
	AttemptDeadlinePassed Reason = "ATTEMPT_DEADLINE_PASSED"
	// AttemptStateForbids: the attempt is already submitted or expired,
	// or still running when its result is asked for.
	AttemptStateForbids Reason = "ATTEMPT_STATE_FORBIDS"
	// QuestionAlreadyAnswered: answers are final.
	QuestionAlreadyAnswered Reason = "QUESTION_ALREADY_ANSWERED"
	// AttemptChanged: a concurrent call changed the attempt first; read
	// it again and retry.
	AttemptChanged Reason = "ATTEMPT_CHANGED"
)

// Reasons of service ratings.
const (
	// TargetInactive: the target is deactivated and takes no ratings.
	TargetInactive Reason = "TARGET_INACTIVE"
	// CaseStateForbids: the case's state does not allow the action.
	CaseStateForbids Reason = "CASE_STATE_FORBIDS"
	// UnknownCaseAction: the step names no action a case knows.
	UnknownCaseAction Reason = "UNKNOWN_CASE_ACTION"
	// TooManyPosters: the subtree has more active targets than one poster
	// print run takes.
	TooManyPosters Reason = "TOO_MANY_POSTERS"
)

// Reasons of the civility index.
const (
	// FrameworkStateForbids: the framework version is published (so
	// frozen) or not the latest.
	FrameworkStateForbids Reason = "FRAMEWORK_STATE_FORBIDS"
	// FrameworkNotPublishable: the draft fails the checks for publishing;
	// the BadRequest detail names each field.
	FrameworkNotPublishable Reason = "FRAMEWORK_NOT_PUBLISHABLE"
	// FrameworkNotPublished: a round needs a published framework.
	FrameworkNotPublished Reason = "FRAMEWORK_NOT_PUBLISHED"
	// RoundStateForbids: the round's state does not allow the change.
	RoundStateForbids Reason = "ROUND_STATE_FORBIDS"
	// SiteInUse: a site in a round cannot be deleted.
	SiteInUse Reason = "SITE_IN_USE"
	// DrawStateForbids: the draw was already revealed differently.
	DrawStateForbids Reason = "DRAW_STATE_FORBIDS"
	// DrawSeedMismatch: the revealed seed does not hash to the draw's
	// commitment.
	DrawSeedMismatch Reason = "DRAW_SEED_MISMATCH"
	// RectificationStateForbids: the task is closed; only a passing
	// re-inspection closes a task, and a closed one takes no report.
	RectificationStateForbids Reason = "RECTIFICATION_STATE_FORBIDS"
	// UnitNotRegistered: the officer's department is not tied to a unit
	// (SetUnit).
	UnitNotRegistered Reason = "UNIT_NOT_REGISTERED"
	// ScorecardNotPublished: the year has no published scorecard (or the
	// version asked for is a draft).
	ScorecardNotPublished Reason = "SCORECARD_NOT_PUBLISHED"
)

// Reasons of resident questionnaires.
const (
	// QuestionnaireStateForbids: the questionnaire version is published
	// (so frozen), or a draft already exists.
	QuestionnaireStateForbids Reason = "QUESTIONNAIRE_STATE_FORBIDS"
	// QuestionnaireNotPublishable: the draft fails the checks for
	// publishing; the BadRequest detail names each field.
	QuestionnaireNotPublishable Reason = "QUESTIONNAIRE_NOT_PUBLISHABLE"
	// QuestionnaireNotPublished: a campaign needs a published version.
	QuestionnaireNotPublished Reason = "QUESTIONNAIRE_NOT_PUBLISHED"
	// CampaignNotOpen: the campaign's window has not started or has ended.
	CampaignNotOpen Reason = "CAMPAIGN_NOT_OPEN"
	// ChannelNotOffered: the campaign is not answered through the
	// caller's channel.
	ChannelNotOffered Reason = "CHANNEL_NOT_OFFERED"
	// AlreadyResponded: the respondent has already answered the campaign.
	AlreadyResponded Reason = "ALREADY_RESPONDED"
)

// FieldReason is the machine-readable cause of one field violation, sent
// as google.rpc.BadRequest.FieldViolation.reason, so a page can say in its
// own words what is wrong with a field without reading the description.
// Most violations carry none; docs/errors.md lists those that do.
type FieldReason string

// Field reasons of questionnaire answers.
const (
	// AnswerRequired: a required question that is shown has no answer.
	AnswerRequired FieldReason = "ANSWER_REQUIRED"
	// AnswerHidden: the question answered is hidden by earlier answers.
	AnswerHidden FieldReason = "ANSWER_HIDDEN"
	// TooManyChoices: more choices than the question allows.
	TooManyChoices FieldReason = "TOO_MANY_CHOICES"
	// ValueOutOfRange: a scale or number answer outside its range, or not
	// whole where it must be.
	ValueOutOfRange FieldReason = "VALUE_OUT_OF_RANGE"
)
