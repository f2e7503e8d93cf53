/* Bulletin page: the whole bulletin in document order, a heading whenever the case or section
 * changes, each passage an element whose id is the passage id. The passage named in the URL
 * hash is highlighted, scrolled into view and focused. Text goes in as text nodes only. */
(function () {
  "use strict";

  var SA = window.SafeguardingAssistant;
  var $ = function (id) { return document.getElementById(id); };
  var article = $("bulletin"), title = $("bulletin-title"), status = $("bulletin-status"), back = $("back-link");

  /* Came here from the chat page in this tab? Go back through history instead of loading it afresh,
     so the conversation is still there (back/forward cache). The Navigation API lists only
     same-origin entries; because the server sends Referrer-Policy: no-referrer their URLs read as
     null, so any earlier same-origin document counts, unless its URL is known to be another page.
     Without the Navigation API the link simply opens the chat. */
  back.addEventListener("click", function (e) {
    try {
      var nav = window.navigation;
      if (!nav || !nav.currentEntry || typeof nav.traverseTo !== "function") return;
      var entries = nav.entries();
      for (var i = nav.currentEntry.index - 1; i >= 0; i--) {
        if (entries[i].sameDocument) continue;
        if (entries[i].url && new URL(entries[i].url).pathname !== "/") return;
        e.preventDefault();
        nav.traverseTo(entries[i].key);
        return;
      }
    } catch (err) { /* follow the link */ }
  });

  function fail(msg) {
    article.removeAttribute("aria-busy");
    status.className = "load-error";
    status.setAttribute("role", "alert");
    status.textContent = msg;
  }

  if (!SA) { fail("The bulletin could not load. Please reload the page."); return; }
  var el = SA.el;

  var m = /\/bulletin\/([^/]+)\/?$/.exec(location.pathname);
  var id = "";
  try { id = m ? decodeURIComponent(m[1]) : ""; } catch (e) { id = ""; }
  if (!id) { fail("No bulletin was named in the address."); return; }

  /* A page load jumps straight to the passage; a later hash change may glide, unless reduced motion. */
  function showTarget(e) {
    var prev = article.querySelectorAll(".is-target");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("is-target");
    var hash = location.hash.slice(1);
    if (!hash) return;
    try { hash = decodeURIComponent(hash); } catch (e) { return; }
    var target = document.getElementById(hash);
    if (!target || !article.contains(target)) return;
    target.classList.add("is-target");
    target.scrollIntoView({ block: "center", behavior: e && !SA.prefersReducedMotion() ? "smooth" : "auto" });
    target.focus({ preventScroll: true });
  }

  function render(data) {
    var passages = Array.isArray(data.passages) ? data.passages : [];
    title.textContent = String(data.name || data.title || "Learning bulletin");
    document.title = title.textContent + " \u2013 Safeguarding guidance assistant";
    status.textContent = data.date ? "Published " + String(data.date) : "";
    status.hidden = !status.textContent;
    var frag = document.createDocumentFragment();
    var curCase, curSection;
    passages.forEach(function (p, i) {
      if (!p || typeof p !== "object") return;
      var pcase = p.case || null, psection = p.section || null;
      if (i === 0 || pcase !== curCase) {
        if (pcase) frag.appendChild(el("h2", { text: pcase }));
        curCase = pcase;
        curSection = undefined;
      }
      if (psection !== curSection) {
        if (psection) frag.appendChild(el(pcase ? "h3" : "h2", { text: psection }));
        curSection = psection;
      }
      frag.appendChild(el("p", {
        id: p.id ? String(p.id) : null,
        "class": "passage",
        "data-kind": p.kind ? String(p.kind) : null,
        tabindex: "-1",
        text: p.text
      }));
    });
    article.appendChild(frag);
    article.removeAttribute("aria-busy");
    showTarget(null);
  }

  /* Every bulletin served, newest first (as the API lists them), this one marked as current. */
  function renderList(data) {
    var list = $("bulletin-list"), items = data && Array.isArray(data.bulletins) ? data.bulletins : [];
    items.forEach(function (b) {
      if (!b || typeof b !== "object" || !b.id) return;
      var link = el("a", { href: "/bulletin/" + encodeURIComponent(String(b.id)), text: String(b.name || b.title || b.id) });
      if (String(b.id) === id) link.setAttribute("aria-current", "page");
      list.appendChild(el("li", null, [link, b.date ? " (" + String(b.date) + ")" : null]));
    });
    $("all-bulletins").hidden = !list.children.length;
  }

  fetch("/api/bulletins", { credentials: "omit" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(renderList, function () { /* the list is a convenience; the bulletin still shows */ });

  SA.getBulletin("", id).then(render, function (err) {
    fail(err.status === 404 ? "That bulletin could not be found." : err.message);
  });
  window.addEventListener("hashchange", showTarget);
})();
