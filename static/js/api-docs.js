/* The API documentation page (/api/docs/, templates/api/docs.html): Swagger UI, self-hosted from
 * npm's swagger-ui-dist, reading our OpenAPI schema. A file rather than an inline script, so the
 * page runs under the site's CSP as it is. */
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  if (!el || !window.SwaggerUIBundle) return;
  window.apiDocs = SwaggerUIBundle({
    url: el.getAttribute("data-schema"),
    domNode: el,
    deepLinking: true,
    validatorUrl: null,  // no badge fetched from a third-party validator
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],  // trying out reads only: writes need a private link or an account
    docExpansion: "list",
    defaultModelsExpandDepth: 0
  });
})();
