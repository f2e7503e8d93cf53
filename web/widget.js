/*! Safeguarding guidance assistant: embeddable widget.
 *
 * Embed on any page:
 *   <script src="https://ASSISTANT-HOST/widget.js" data-area="rutland" defer></script>
 *
 * data-area      leicestershire | rutland | leicester-city (sent with each question)
 * data-api       API base URL (default: the origin this script was loaded from)
 * data-title     panel title
 * data-accent    any CSS colour; checked with CSS.supports and text colour picked for contrast
 * data-position  bottom-right (default) | bottom-left
 * data-open      "true" to start with the panel open (focus is not moved on load)
 * data-mode      "library": do not mount anything, only expose window.SafeguardingAssistant
 *                (the rendering core used by the assistant's own pages, so cards are built in one place)
 *
 * A host page with a Content-Security-Policy must allow the assistant's origin in script-src and
 * connect-src; the widget's styles are a constructed stylesheet, which style-src does not block.
 *
 * Everything is built with createElement/textContent: nothing from the user, the API or the
 * bulletin is ever parsed as HTML. No cookies, no storage; fetch uses credentials: "omit".
 *
 * Shadow DOM mode: OPEN. Encapsulation against host-page CSS comes from the shadow boundary
 * itself, not from the mode: a closed root hides nothing from a determined host script (it can
 * patch attachShadow before we run) and gives no extra privacy, because the widget holds no secret.
 * An open root lets assistive-technology tooling, axe-core and our browser tests reach inside,
 * and lets an LSCB site's developers debug it in devtools.
 */
(function (window, document) {
  "use strict";

  var script = document.currentScript ||
    document.querySelector('script[src$="/widget.js"],script[src$="widget.js"]');
  var AREAS = ["leicestershire", "rutland", "leicester-city"];

  /* ---------- DOM helpers (text only, never HTML) ---------- */

  function el(tag, props, kids) {
    var n = document.createElement(tag);
    var k, v;
    if (props) {
      for (k in props) {
        if (!Object.prototype.hasOwnProperty.call(props, k)) continue;
        v = props[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === "text") n.textContent = String(v);
        else if (k === "class") n.className = v;
        else n.setAttribute(k, v === true ? "" : String(v));
      }
    }
    if (kids) add(n, kids);
    return n;
  }

  function add(n, kids) {
    for (var i = 0; i < kids.length; i++) {
      var c = kids[i];
      if (c === null || c === undefined || c === false) continue;
      n.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return n;
  }

  function srOnly(text) { return el("span", { "class": "sr-only", text: text }); }

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  /* Split text into text nodes and <mark>s for each whole-word, case-insensitive match. */
  function highlight(text, terms) {
    var frag = document.createDocumentFragment();
    text = text === null || text === undefined ? "" : String(text);
    var list = [];
    (Array.isArray(terms) ? terms : []).forEach(function (t) {
      t = String(t).trim();
      if (t && list.indexOf(t.toLowerCase()) < 0) list.push(t.toLowerCase());
    });
    if (!list.length) { frag.appendChild(document.createTextNode(text)); return frag; }
    list.sort(function (a, b) { return b.length - a.length; });
    var alt = list.map(escapeRe).join("|");
    var re;
    try {
      re = new RegExp("(?<![\\p{L}\\p{N}_])(?:" + alt + ")(?![\\p{L}\\p{N}_])", "giu");
    } catch (e) {
      re = new RegExp("\\b(?:" + alt + ")\\b", "gi");
    }
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (!m[0]) { re.lastIndex++; continue; }
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      frag.appendChild(el("mark", { text: m[0] }));
      last = m.index + m[0].length;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  /* Only http(s) links; relative API paths are resolved against the API base. */
  function resolveUrl(url, base) {
    if (!url) return null;
    url = String(url);
    try {
      var u = base && url.charAt(0) === "/" && url.charAt(1) !== "/"
        ? new URL(base.replace(/\/+$/, "") + url)
        : new URL(url, base || document.baseURI);
      return /^https?:$/.test(u.protocol) ? u.href : null;
    } catch (e) { return null; }
  }

  function contactName(c) {
    if (c.area_id === "emergency") return "Emergency";
    if (c.area_id === "out-of-hours") return "Out of hours, all areas";
    return (c.area || "Duty") + " duty team";
  }

  function telLink(c, label, cls) {
    var digits = String(c.tel || c.phone || "").replace(/[^\d+]/g, "");
    var text = label || String(c.phone || c.tel || "");
    if (!digits) return el("span", { "class": cls || null, text: text });
    return el("a", { href: "tel:" + digits, "class": cls || "tel" }, [text]);
  }

  function mailLink(email, kids) {
    email = String(email || "");
    if (!/^[^\s@<>"'(),;:\\]+@[^\s@<>"'(),;:\\]+\.[^\s@<>"'(),;:\\]+$/.test(email)) return document.createTextNode(email);
    return el("a", { href: "mailto:" + email, "class": "mail" }, kids || [email]);
  }

  function humanKind(kind) {
    kind = String(kind || "").replace(/[_-]+/g, " ").trim();
    return kind ? kind.charAt(0).toUpperCase() + kind.slice(1) : "";
  }

  /* ---------- reply rendering (shared by the chat page, the bulletin page and the widget) ---------- */

  function card(a, o) {
    var c = a.citation || {};
    var href = resolveUrl(c.url, o.base);
    var label = String(c.label || c.bulletin || "LSCB Learning Review");
    var quote = el("blockquote", { "class": "quote", cite: href });
    quote.appendChild(highlight(a.text, a.matched_terms));
    var link = href
      ? el("a", { href: href, target: o.newTab ? "_blank" : null, rel: o.newTab ? "noopener" : null },
          [el("cite", { text: label }), o.newTab ? srOnly(" (opens in a new tab)") : null])
      : el("cite", { text: label });
    var also = (Array.isArray(a.also_in) ? a.also_in : []).map(function (c2) {
      var h = c2 && resolveUrl(c2.url, o.base);
      return h ? el("a", { href: h, target: o.newTab ? "_blank" : null, rel: o.newTab ? "noopener" : null }, [String(c2.label || c2.bulletin || h)]) : null;
    }).filter(Boolean);
    var alsoP = null;
    if (also.length) {
      alsoP = el("p", { "class": "cite" }, ["Also in: "]);
      also.forEach(function (x, i) { add(alsoP, [i ? "; " : null, x]); });
    }
    return el("article", { "class": "card" }, [
      a.kind ? el("p", { "class": "kind", text: humanKind(a.kind) }) : null,
      quote,
      el("p", { "class": "cite" }, ["Source: ", link]),
      alsoP
    ]);
  }

  /* {"chlid": "child"} -> Searched for "child" (you typed "chlid"). */
  function corrections(map) {
    var parts = [];
    if (map && typeof map === "object" && !Array.isArray(map)) {
      Object.keys(map).slice(0, 8).forEach(function (typed) {
        parts.push("\u201c" + String(map[typed]) + "\u201d for \u201c" + typed + "\u201d");
      });
    }
    return parts.length ? el("p", { "class": "corrections", text: "Searched for " + parts.join(", ") + "." }) : null;
  }

  function contactItem(c) {
    return el("li", null, [
      contactName(c), c.when && c.area_id !== "out-of-hours" && c.area_id !== "emergency" ? el("span", { "class": "when", text: " (" + c.when + ")" }) : null, ": ",
      telLink(c, null, "tel"),
      c.email ? " · " : null, c.email ? mailLink(c.email) : null
    ]);
  }

  /* 999 first; then the chosen area's duty team and the out-of-hours team (every team if no area). */
  function urgentBanner(contacts, area) {
    var emergency = null, others = [];
    contacts.forEach(function (c) {
      if (c.area_id === "emergency") { if (!emergency) emergency = c; }
      else if (!area || c.area_id === area || c.area_id === "out-of-hours") others.push(c);
    });
    emergency = emergency || { tel: "999", phone: "999", area_id: "emergency" };
    var box = el("div", { "class": "urgent", role: "alert" }, [
      el("p", { "class": "urgent-title" }, [el("strong", { text: "If a child is in immediate danger call 999" })]),
      el("p", { "class": "urgent-actions" }, [telLink(emergency, "Call 999", "call call-999")])
    ]);
    if (others.length) {
      box.appendChild(el("p", { text: "Then tell the duty team:" }));
      var row = el("p", { "class": "urgent-actions" });
      others.forEach(function (c) {
        var name = c.area_id === "out-of-hours" ? "Out of hours" : "Call the " + contactName(c);
        var link = telLink(c, name + ": ", "call call-duty");
        link.appendChild(el("span", { "class": "tel", text: c.phone || c.tel }));
        row.appendChild(link);
      });
      box.appendChild(row);
    }
    return box;
  }

  function renderReply(data, o) {
    o = o || {};
    data = data || {};
    var contacts = (Array.isArray(data.contacts) ? data.contacts : []).filter(function (c) { return c && typeof c === "object"; });
    var answers = (Array.isArray(data.answers) ? data.answers : []).filter(function (a) { return a && typeof a === "object"; });
    var box = el("div", { "class": "reply" + (data.urgent ? " is-urgent" : "") + (data.no_match ? " is-no-match" : "") });
    if (data.personal_data_warning) {
      box.appendChild(el("p", { "class": "notice", role: "note" },
        [el("strong", { text: "Privacy: " }), String(data.personal_data_warning)]));
    }
    if (data.urgent) box.appendChild(urgentBanner(contacts, o.area));
    if (data.message) box.appendChild(el("p", { "class": "message", text: data.message }));
    var fixed = corrections(data.corrections);
    if (fixed) box.appendChild(fixed);
    if (data.no_match && !data.urgent) {
      /* the chosen area's team (or every team), out of hours, then 999 */
      var shown = contacts.filter(function (c) {
        return !o.area || c.area_id === o.area || c.area_id === "out-of-hours" || c.area_id === "emergency";
      });
      if (!data.message || !shown.length) {
        box.appendChild(el("p", { "class": "message", text: shown.length
          ? "If you are worried about a child, talk to the duty team:"
          : "If you are worried about a child, call the duty team for your area." }));
      }
      if (shown.length) box.appendChild(add(el("ul", { "class": "contact-list", "aria-label": "Duty contacts" }), shown.map(contactItem)));
    }
    if (answers.length) {
      var list = el("ol", { "class": "cards", "aria-label": "Passages quoted from the bulletin" });
      answers.forEach(function (a) { list.appendChild(el("li", null, [card(a, o)])); });
      box.appendChild(list);
    }
    return box;
  }

  /* ---------- API ---------- */

  function errorText(r, body) {
    var d = body && body.detail;
    if (Array.isArray(d)) {
      d = d.map(function (x) { return x && typeof x === "object" ? String(x.msg || "") : String(x); }).filter(Boolean).join(" ");
    } else if (d && typeof d === "object") {
      d = String(d.message || d.msg || "");
    }
    d = typeof d === "string" ? d.trim() : "";
    /* the server's detail as a sentence: capital first, full stop last */
    if (d) d = d.charAt(0).toUpperCase() + d.slice(1) + (/[.!?]$/.test(d) ? "" : ".");
    if (r.status === 429) {
      var s = parseInt(r.headers.get("Retry-After") || "", 10);
      return (d || "Too many questions in a short time. Please wait a moment and try again.") +
        (s > 0 ? " You can ask again in " + s + " second" + (s === 1 ? "" : "s") + "." : "");
    }
    return d || "Sorry, something went wrong (error " + r.status + "). Please try again.";
  }

  function request(url, init) {
    init = init || {};
    init.credentials = "omit";
    init.headers = init.headers || {};
    init.headers.Accept = "application/json";
    return fetch(url, init).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (r.ok && body) return body;
        var err = new Error(errorText(r, body));
        err.status = r.status;
        throw err;
      });
    }, function () {
      throw new Error("Could not reach the assistant. Check your connection and try again. If you are worried about a child now, phone the duty team.");
    });
  }

  function ask(base, question, area) {
    return request(base + "/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, area: area || null })
    });
  }

  function getContacts(base, area) {
    return request(base + "/api/contacts" + (area ? "?area=" + encodeURIComponent(area) : ""))
      .then(function (d) { return (d && Array.isArray(d.contacts) ? d.contacts : []).filter(function (c) { return c && typeof c === "object"; }); });
  }

  function getBulletin(base, id) {
    return request(base + "/api/bulletins/" + encodeURIComponent(id));
  }

  function prefersReducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  var core = {
    el: el, add: add, highlight: highlight, resolveUrl: resolveUrl, telLink: telLink, mailLink: mailLink,
    contactName: contactName, renderReply: renderReply, ask: ask, getContacts: getContacts, getBulletin: getBulletin,
    AREAS: AREAS.slice(), prefersReducedMotion: prefersReducedMotion
  };

  var ds = (script && script.dataset) || {};
  if (ds.mode === "library") { window.SafeguardingAssistant = core; return; }
  if (!script || !script.src) return;
  if (!document.documentElement.attachShadow) return;

  /* ---------- widget ---------- */

  var CSS_TEXT =
    ":host{all:initial}" +
    "*,*::before,*::after{box-sizing:border-box}" +
    ".w{--accent:#1d4f91;--ink:#fff;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1b1b;position:fixed;bottom:16px;right:16px;z-index:2147483000;display:flex;flex-direction:column;align-items:flex-end;gap:10px;max-width:calc(100vw - 16px)}" +
    ".w.left{right:auto;left:16px;align-items:flex-start}" +
    "button,input{font:inherit;color:inherit;margin:0}" +
    "a{color:#0b4ea2;text-decoration:underline;text-underline-offset:2px}a:hover{text-decoration-thickness:3px}" +
    "a,button,input{outline:2px solid transparent}" +
    "a:focus-visible,button:focus-visible,input:focus-visible,.log:focus-visible{outline:2px solid transparent;box-shadow:0 0 0 3px #fff,0 0 0 6px #0b0c0c}" +
    ".launcher{display:inline-flex;align-items:center;gap:8px;min-height:48px;padding:10px 18px;border:2px solid var(--ink);border-radius:24px;background:var(--accent);color:var(--ink);font-weight:700;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.35)}" +
    ".launcher svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2}" +
    ".panel{width:380px;max-width:calc(100vw - 16px);height:600px;max-height:calc(100vh - 96px);max-height:calc(100dvh - 96px);display:flex;flex-direction:column;background:#fff;border:1px solid #6f6f6f;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.3);overflow:hidden}" +
    ".panel[hidden]{display:none}" +
    ".head{display:flex;align-items:center;gap:8px;padding:8px 8px 8px 14px;background:var(--accent);color:var(--ink)}" +
    "h2{flex:1;margin:0;font-size:17px;line-height:1.3;font-weight:700}" +
    ".close{min-width:40px;min-height:40px;border:0;border-radius:8px;background:transparent;color:var(--ink);font-size:24px;line-height:1;cursor:pointer}" +
    ".close:hover{background:rgba(127,127,127,.25)}" +
    ".privacy{margin:0;padding:6px 14px;background:#fff4d6;border-bottom:1px solid #d9c48a;font-size:14px}" +
    ".strip{margin:0;padding:6px 14px;border-bottom:1px solid #d0d0d0;background:#f3f5f8;font-size:14px;display:grid;grid-template-columns:auto 1fr;gap:0 12px;align-items:center}" +
    ".strip dt{color:#3d3d3d}.strip dd{margin:0}" +
    ".tel{white-space:nowrap}" +
    ".strip a{display:inline-block;min-height:24px;padding:2px 0;font-weight:700}" +
    ".strip .s999{color:#a3001b}" +
    ".log{flex:1;min-height:0;overflow-y:auto;padding:12px 14px;position:relative;overscroll-behavior:contain}" +
    ".intro{margin:0 0 10px;color:#3d3d3d}" +
    ".chips{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px}" +
    ".chip{min-height:32px;padding:4px 10px;border:1px solid #0b4ea2;border-radius:16px;background:#fff;color:#0b4ea2;cursor:pointer;text-align:left}" +
    ".chip:hover{background:#eaf1fb}" +
    ".q{margin:14px 0 6px auto;max-width:88%;width:fit-content;padding:8px 12px;border-radius:12px 12px 2px 12px;background:#e7eef8;overflow-wrap:anywhere;white-space:pre-wrap}" +
    ".pending,.corrections{color:#3d3d3d;font-style:italic}" +
    ".error{padding:8px 10px;border-left:4px solid #a3001b;background:#fdecee}" +
    ".reply p{margin:0 0 8px}" +
    ".notice{padding:8px 10px;border-left:4px solid #8a5a00;background:#fff4d6}" +
    ".urgent{margin:0 0 10px;padding:10px;border:2px solid #a3001b;border-radius:8px;background:#fdecee}" +
    ".urgent-actions{display:flex;flex-wrap:wrap;gap:6px}" +
    ".call{display:inline-block;min-height:36px;padding:7px 12px;border-radius:8px;font-weight:700;text-decoration:none}" +
    ".call-999{background:#a3001b;color:#fff}.call-duty{background:#fff;color:#0b4ea2;border:2px solid #0b4ea2}" +
    ".contact-list{margin:0 0 8px;padding-left:18px}.contact-list li{margin:0 0 4px}" +
    ".contact-list a{display:inline-block;min-height:24px;font-weight:700}" +
    ".cards{list-style:none;margin:0;padding:0}" +
    ".card{margin:0 0 10px;padding:10px 12px;border:1px solid #c8c8c8;border-radius:8px;background:#fff}" +
    ".kind{display:inline-block;margin:0 0 6px!important;padding:0 8px;border-radius:10px;background:#e7eef8;color:#16345f;font-size:12px;font-weight:700;letter-spacing:.02em}" +
    ".quote{margin:0 0 6px;padding:0 0 0 10px;border-left:4px solid var(--accent);white-space:pre-line;overflow-wrap:anywhere}" +
    "mark{background:#ffe27a;color:inherit;padding:0 1px;border-radius:2px}" +
    ".cite{font-size:14px}.cite a{display:inline-block;min-height:24px}cite{font-style:normal}" +
    ".ask{display:flex;gap:8px;padding:10px 14px 12px;border-top:1px solid #d0d0d0;background:#fff;flex-wrap:wrap}" +
    ".ask label{flex-basis:100%;font-size:14px;font-weight:700}" +
    ".ask input{flex:1;min-width:0;min-height:44px;padding:8px 10px;border:2px solid #5f5f5f;border-radius:8px;background:#fff;font-size:16px}" +
    ".send{min-height:44px;padding:8px 16px;border:2px solid var(--ink);border-radius:8px;background:var(--accent);color:var(--ink);font-weight:700;cursor:pointer}" +
    ".sr-only{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}" +
    "@media (max-width:480px){.w{bottom:8px;right:8px}.w.left{left:8px}.panel{width:calc(100vw - 16px);max-height:calc(100vh - 80px);max-height:calc(100dvh - 80px)}}" +
    "@media (prefers-reduced-motion:no-preference){.panel{animation:sga-in .15s ease-out}@keyframes sga-in{from{opacity:0;transform:translateY(8px)}}}" +
    "@media (forced-colors:active){.launcher,.send,.call,.urgent,.card{border:2px solid CanvasText}mark{forced-color-adjust:none;background:Mark;color:MarkText}}";

  var base = (function () {
    try {
      var u = new URL(ds.api || script.src, document.baseURI);
      if (!/^https?:$/.test(u.protocol)) return null;
      return ds.api ? (u.origin + u.pathname).replace(/\/+$/, "") : u.origin;
    } catch (e) { return null; }
  })();
  if (!base) return;
  var area = AREAS.indexOf(ds.area) >= 0 ? ds.area : null;
  var title = String(ds.title || "").trim().slice(0, 80) || "Safeguarding guidance";
  var accent = ds.accent && window.CSS && CSS.supports && CSS.supports("color", ds.accent) ? ds.accent : null;

  /* Pick black or white text for the accent, whichever contrasts more (always >= 4.5:1). */
  function inkFor(color) {
    try {
      var c = document.createElement("canvas");
      c.width = c.height = 1;
      var x = c.getContext("2d");
      x.fillStyle = "#fff"; x.fillRect(0, 0, 1, 1);
      x.fillStyle = color; x.fillRect(0, 0, 1, 1);
      var p = x.getImageData(0, 0, 1, 1).data;
      var lum = [p[0], p[1], p[2]].map(function (v) {
        v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      });
      var L = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
      return (1.05 / (L + 0.05)) >= ((L + 0.05) / 0.05) ? "#fff" : "#000";
    } catch (e) { return "#fff"; }
  }

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 5h16v11H9l-5 4z");
    path.setAttribute("stroke-linejoin", "round");
    svg.appendChild(path);
    return svg;
  }

  function mount() {
    if (document.querySelector("[data-safeguarding-assistant]")) return;
    var host = el("div", { "data-safeguarding-assistant": "" });
    /* Inline !important beats any host stylesheet rule (even `* {... !important}`), and
       `all: initial` stops the host's inherited fonts/colours flowing into the shadow tree. */
    host.style.setProperty("all", "initial", "important");
    host.style.setProperty("display", "block", "important");
    var root = host.attachShadow({ mode: "open" });
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS_TEXT);
      root.adoptedStyleSheets = [sheet]; /* not blocked by a host page's style-src CSP */
    } catch (e) {
      root.appendChild(el("style", { text: CSS_TEXT }));
    }

    var wrap = el("div", { "class": "w" + (ds.position === "bottom-left" ? " left" : "") });
    if (accent) {
      wrap.style.setProperty("--accent", accent);
      wrap.style.setProperty("--ink", inkFor(accent));
    }

    var launcher = el("button", { type: "button", "class": "launcher", "aria-expanded": "false", "aria-controls": "sga-panel" },
      [icon(), el("span", { text: title })]);
    var closeBtn = el("button", { type: "button", "class": "close", "aria-label": "Close " + title, text: "\u00d7" });
    var strip = el("dl", { "class": "strip" });
    var log = el("div", { "class": "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    var input = el("input", { id: "sga-q", type: "text", maxlength: "500", autocomplete: "off", enterkeyhint: "send", "aria-describedby": "sga-privacy" });
    var form = el("form", { "class": "ask" }, [
      el("label", { "for": "sga-q", text: "Your question" }), input,
      el("button", { type: "submit", "class": "send", text: "Send" })
    ]);
    var panel = el("section", { id: "sga-panel", "class": "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "sga-title", hidden: true }, [
      el("div", { "class": "head" }, [el("h2", { id: "sga-title", text: title }), closeBtn]),
      el("p", { id: "sga-privacy", "class": "privacy" }, [el("strong", { text: "Don't type names" }), " or other details that could identify a child."]),
      strip, log, form
    ]);

    var chips = el("div", { "class": "chips" });
    ["What do I do when a child goes missing?", "How do I challenge a professional disagreement?"].forEach(function (q) {
      var b = el("button", { type: "button", "class": "chip", text: q });
      b.addEventListener("click", function () { input.value = q; submit(); });
      chips.appendChild(b);
    });
    add(log, [el("p", { "class": "intro", text: "Answers are quoted word for word from the Leicestershire & Rutland LSCB Learning Review, with a link to the source." }), chips]);

    renderStrip(null);
    var contactsState = 0; /* 0 not loaded, 1 loading, 2 loaded */
    function loadContacts() {
      if (contactsState) return;
      contactsState = 1;
      getContacts(base, area).then(function (cs) { contactsState = 2; renderStrip(cs); },
        function () { contactsState = 0; });
    }

    function renderStrip(cs) {
      while (strip.firstChild) strip.removeChild(strip.firstChild);
      function row(label, value) { add(strip, [el("dt", { text: label }), el("dd", null, value)]); }
      (cs || []).forEach(function (c) {
        if (c.area_id === "emergency" || (area && c.area_id !== area && c.area_id !== "out-of-hours")) return;
        var name = c.area_id === "out-of-hours" ? "Out of hours" : (c.area || "Duty") + " duty team";
        row(name, [telLink(c, null, "tel"), c.email ? " \u00b7 " : null,
          c.email ? mailLink(c.email, ["Email", srOnly(" the " + name)]) : null]);
      });
      if (!cs) row("Duty team", ["Call your local duty team"]);
      row("Immediate danger", [telLink({ tel: "999", phone: "999" }, "999", "tel s999")]);
    }

    var busy = false;
    function scrollTo(node) { log.scrollTop = Math.max(0, node.offsetTop - 8); }

    function submit() {
      var q = input.value.trim();
      if (!q) { input.focus(); return; }
      if (busy) return;
      busy = true;
      var askedText = document.createTextNode(q);
      var asked = el("p", { "class": "q" }, [srOnly("You asked: "), askedText]);
      var pending = el("p", { "class": "pending", text: "Searching the bulletin\u2026" });
      add(log, [asked, pending]);
      scrollTo(asked);
      input.value = "";
      input.focus();
      ask(base, q, area).then(function (data) {
        /* show the question as the server kept it: names and other identifying details redacted */
        if (data && typeof data.question === "string" && data.question) askedText.data = data.question;
        return renderReply(data, { base: base, newTab: true, area: area });
      }, function (err) {
        return el("p", { "class": "error", text: err.message });
      }).then(function (node) {
        if (pending.parentNode) log.replaceChild(node, pending); else log.appendChild(node);
        scrollTo(asked);
        busy = false;
      });
    }

    function setOpen(open, focus) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { loadContacts(); if (focus) input.focus(); }
      else if (focus) launcher.focus();
    }

    launcher.addEventListener("click", function () { setOpen(panel.hidden, true); });
    closeBtn.addEventListener("click", function () { setOpen(false, true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });
    wrap.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && !panel.hidden) { e.preventDefault(); setOpen(false, true); }
    });

    add(wrap, [panel, launcher]);
    root.appendChild(wrap);
    document.body.appendChild(host);
    if (ds.open === "true") setOpen(true, false);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})(window, document);
