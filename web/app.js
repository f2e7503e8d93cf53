/* Chat page. Card rendering, highlighting and API calls live in widget.js (loaded with
 * data-mode="library"), so the page and the embeddable widget build answers the same way.
 * All content from the user, the API and the bulletin goes into the DOM as text nodes. */
(function () {
  "use strict";

  var SA = window.SafeguardingAssistant;
  var $ = function (id) { return document.getElementById(id); };
  var form = $("ask-form"), input = $("question"), log = $("log"), logEmpty = $("log-empty");
  var fieldError = $("question-error");
  if (!SA) {
    logEmpty.textContent = "The assistant could not load. Please reload the page. The duty team numbers are on this page.";
    return;
  }
  var el = SA.el;

  /* ---------- asking ---------- */

  var busy = false;

  function showFieldError(msg) {
    fieldError.textContent = msg;
    fieldError.hidden = !msg;
    if (msg) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }

  function send(text) {
    var q = String(text || "").trim();
    if (!q) { showFieldError("Type a question first."); input.focus(); return; }
    if (q.length > 500) { showFieldError("Questions can be up to 500 characters."); input.focus(); return; }
    if (busy) return;
    busy = true;
    showFieldError("");
    logEmpty.hidden = true;

    var pending = el("p", { "class": "pending", text: "Searching the bulletin\u2026" });
    var saidText = el("span", { "class": "said-text", text: q });
    var exchange = el("div", { "class": "exchange" }, [
      el("div", { "class": "msg msg-user" }, [
        el("h3", { "class": "said" }, [el("span", { "class": "who", text: "You asked" }), el("span", { "class": "visually-hidden", text: ": " }), saidText])
      ]),
      el("div", { "class": "msg msg-bot" }, [pending])
    ]);
    log.appendChild(exchange);
    input.value = "";
    input.focus();

    var area = SA.currentArea ? SA.currentArea() : null;
    SA.ask("", q, area).then(function (data) {
      /* show the question as the server kept it: names and other identifying details redacted */
      if (data && typeof data.question === "string" && data.question) saidText.textContent = data.question;
      return SA.renderReply(data, { base: "", newTab: false, area: area });
    }, function (err) {
      return el("p", { "class": "error", text: err.message });
    }).then(function (node) {
      pending.parentNode.replaceChild(node, pending);
      busy = false;
      exchange.scrollIntoView({ block: "start", behavior: SA.prefersReducedMotion() ? "auto" : "smooth" });
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    send(input.value);
  });
  input.addEventListener("input", function () { if (!fieldError.hidden) showFieldError(""); });

  Array.prototype.forEach.call(document.querySelectorAll(".starter"), function (b) {
    b.addEventListener("click", function () { send(b.textContent); });
  });
})();
