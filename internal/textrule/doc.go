// Package textrule is the one rule every string of every request obeys,
// checked in one place (the server's interceptor) before a handler, a
// batch or the database sees it: valid UTF-8, no NUL, no control
// characters (newline, carriage return and tab only in multi-line
// fields), no bidi embedding, override or isolate characters, and ids and
// page tokens in their own alphabets. Lengths and
// required fields stay with each domain's validation.
//
// Which kind a field is follows from its name (kindOf), so a new field is
// covered the day it is added; the test that walks every request message
// shows the classification of each one.
package textrule
