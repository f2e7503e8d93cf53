/* Contacts panel (chat page and bulletin page): area choice remembered in localStorage
 * (no cookies), the chosen area's duty number as a tel: link, its email as mailto:, the
 * out-of-hours number and 999. The page's printed numbers stay if /api/contacts can't be reached.
 * Uses the rendering core from widget.js (data-mode="library"). */
(function () {
  "use strict";

  var SA = window.SafeguardingAssistant;
  var AREA_KEY = "safeguarding-assistant.area";
  var $ = function (id) { return document.getElementById(id); };
  var aside = $("contacts"), quick = $("contacts-quick"), list = $("contacts-list");
  var toggle = $("contacts-toggle"), areaField = $("area-field"), areaSel = $("area");

  document.documentElement.classList.add("js");
  if (!SA || !aside) return;
  var el = SA.el;

  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); }

  function storedArea() {
    try {
      var v = window.localStorage.getItem(AREA_KEY);
      return SA.AREAS.indexOf(v) >= 0 ? v : "";
    } catch (e) { return ""; }
  }

  function storeArea(v) {
    try {
      if (v) window.localStorage.setItem(AREA_KEY, v); else window.localStorage.removeItem(AREA_KEY);
    } catch (e) { /* storage blocked: the choice lasts for this page view only */ }
  }

  var contacts = null;
  var area = storedArea();
  areaSel.value = area;
  areaField.hidden = false;
  toggle.hidden = false;

  /* The chat page reads the chosen area from here when it sends a question. */
  SA.currentArea = function () { return area || null; };

  /* label: [always shown, shown on wide screens only] */
  function callLink(c, label, cls) {
    var a = SA.telLink(c, null, "call " + cls);
    clear(a);
    SA.add(a, [
      el("span", { "class": "call-label" }, [label[0], label[1] ? el("span", { "class": "call-extra", text: label[1] }) : null]),
      " ",
      el("span", { "class": "call-number", text: c.phone || c.tel })
    ]);
    return a;
  }

  function render() {
    if (!contacts) return;
    var emergency = null, duty = null, others = [];
    contacts.forEach(function (c) {
      if (c.area_id === "emergency") emergency = emergency || c;
      else if (area && c.area_id === area) duty = c;
      else if (!area || c.area_id === "out-of-hours") others.push(c);
    });
    emergency = emergency || { area_id: "emergency", phone: "999", tel: "999" };

    clear(quick);
    if (duty) {
      quick.appendChild(el("li", null, [callLink(duty, [(duty.area || "Area") + " duty", " team" + (duty.when ? ", " + duty.when.toLowerCase() : "")], "call-duty")]));
    }
    quick.appendChild(el("li", null, [callLink(emergency, ["Emergency", ": immediate danger"], "call-999")]));

    clear(list);
    if (duty && duty.email) {
      list.appendChild(el("li", null, ["Email the " + SA.contactName(duty) + ": ", SA.mailLink(duty.email)]));
    }
    others.forEach(function (c) {
      list.appendChild(el("li", null, [
        SA.contactName(c), c.when && c.area_id !== "out-of-hours" ? " (" + c.when.toLowerCase() + ")" : "", ": ",
        SA.telLink(c, null, "tel"),
        c.email ? " \u00b7 " : null, c.email ? SA.mailLink(c.email) : null
      ]));
    });
    clear(toggle);
    SA.add(toggle, duty ? ["More ", el("span", { "class": "visually-hidden", text: "numbers and area" })]
                        : ["Duty ", el("span", { "class": "visually-hidden", text: "team" }), " numbers"]);
  }

  areaSel.addEventListener("change", function () {
    area = SA.AREAS.indexOf(areaSel.value) >= 0 ? areaSel.value : "";
    storeArea(area);
    render();
  });

  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    aside.classList.toggle("is-open", open);
  });
  aside.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && aside.classList.contains("is-open")) {
      toggle.setAttribute("aria-expanded", "false");
      aside.classList.remove("is-open");
      toggle.focus();
    }
  });

  SA.getContacts("", null).then(function (cs) {
    if (cs.length) { contacts = cs; render(); aside.setAttribute("data-loaded", ""); }
  }, function () { /* keep the numbers printed in the page */ });
})();
