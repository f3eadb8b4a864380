// Package apidoc serves the API's reference: /openapi.json, one OpenAPI
// 3.0 document for every HTTP route (merged from gen/openapi by
// scripts/openapi, with the running build's version), and /docs, Swagger
// UI on that document, where a key can be pasted and calls tried. Swagger
// UI is vendored by scripts/vendor.sh into ui/ and embedded:
// the page loads nothing from anywhere else, under a strict CSP.
package apidoc
