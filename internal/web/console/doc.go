// Package console is the staff console at /console: officers, analysts and
// admins sign in with their API key, which is traded at once for a session
// token (account.v1 CreateSession) kept in an HttpOnly, SameSite=Strict
// cookie; the key itself is never stored, logged or put in a URL. Every
// page calls the API over the server's in-process connection with that
// token, so what a role sees and may do is exactly what the RPC access
// rules allow; the console re-implements no rule.
//
// Sessions live in the database (internal/auth.Sessions), so any replica
// serves any signed-in person. Writes carry a CSRF token derived from the
// session token with HMAC (see csrfToken), so nothing per session is kept
// in this process either.
package console
