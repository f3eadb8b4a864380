// Package kiosk is the touch-screen quiz app served at /kiosk: the
// reference client of the quiz Play API, made for older residents playing
// at a kiosk in a community centre.
//
// The server side is one page and its static files; the game runs in the
// browser (static/*.js, plain ES modules) and calls the JSON gateway under
// /v1/ with the kiosk's API key. The key is entered once at /kiosk/setup and
// kept in the browser's localStorage on that device; nothing about a
// player is ever stored, and the page wipes the previous player after a
// game or an idle timeout. See docs/quiz.md.
package kiosk
