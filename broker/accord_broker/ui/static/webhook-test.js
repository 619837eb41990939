/* "Test now" on a webhook's page: POST .../execute as JSON (what the broker's content-type guard
   requires of every state-changing request) and show the answer. A static file, because the
   page's Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var button = document.getElementById("test-webhook");
  if (!button) { return; }
  var box = document.getElementById("test-result");
  var output = document.getElementById("test-output");
  button.addEventListener("click", function () {
    button.disabled = true;
    output.textContent = "Sending…";
    box.hidden = false;
    fetch(button.getAttribute("data-url"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/hal+json" },
      credentials: "same-origin",
      body: "{}"
    }).then(function (response) {
      return response.text().then(function (text) {
        var shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
        output.textContent = "HTTP " + response.status + "\n" + shown;
        box.setAttribute("data-status", String(response.status));
      });
    }).catch(function (error) {
      output.textContent = "The request failed: " + error;
      box.setAttribute("data-status", "error");
    }).then(function () { button.disabled = false; });
  });
}());
