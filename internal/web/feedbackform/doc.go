// Package feedbackform is the citizen's feedback form behind every QR
// code: GET /f/{code} renders a target's rating form, a plain form POST
// submits it through the RatingService over the in-process connection,
// and /f/case/{code} shows a bad review's public case status. Admins print
// QR posters at /f/posters/{id}, and GET /v1/targets/{id}/qr.svg (or .png)
// returns one QR code.
//
// The page works without JavaScript; form.js only adds inline checks and
// stops a second tap. Abuse control is a single-use form token (token.go),
// a honeypot field, and the server's per-address limit for anonymous
// callers.
package feedbackform
