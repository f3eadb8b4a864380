// Package surveyform is the public questionnaire page /s/{code}: a
// resident opens it from a QR code or link, picks their stratum, answers
// and submits. It is a client of wenming.survey.v1 like any other:
// GetCampaignForm renders the page, SubmitResponse (anonymous, so the
// server's per-address limit applies) takes the answers, and the server's
// field violations are shown beside the questions they name. The page
// works without JavaScript; form.js only hides questions whose show-if
// does not hold (hidden inputs are disabled, so they are not sent) — the
// server alone decides what is valid. Each rendered form carries a
// single-use token (web.FormTokens, as on the feedback form) bound to its
// campaign and request_id, and a honeypot field; a POST without them is
// refused before the API is asked. Refusals are placed by their field
// paths and worded by their field reasons (apierr.FieldReason), never by
// the server's English descriptions.
package surveyform
