// Starts Swagger UI on this server's OpenAPI document. "Try it out" is on
// from the start; the key pasted under Authorize stays in this tab only.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#ui",
  deepLinking: true,
  tryItOutEnabled: true,
  persistAuthorization: false,
  displayRequestDuration: true,
  docExpansion: "list",
  filter: true,
});
