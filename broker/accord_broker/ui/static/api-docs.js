// Starts Swagger UI on the broker's own OpenAPI document. A file, not an inline script, so
// the page's Content-Security-Policy can forbid inline scripts (issue #20, finding 2).
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
