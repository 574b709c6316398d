"use strict";
(function () {
  var STORE = "pipeline-decisions";
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.seg"));
  var $ = function (id) { return document.getElementById(id); };
  var shown = $("shown");

  function load() {
    try { return JSON.parse(window.localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }
  function save(all) {
    try { window.localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* storage off: decisions live until the page closes */ }
  }
  function idOf(d) { return [d.segment, d.action, d.rule || d.code].join("|"); }

  // -- filters ------------------------------------------------------------------
  function applyFilters() {
    var garbled = $("f-garbled").checked, flagged = $("f-flagged").checked;
    var code = $("f-code").value, severity = $("f-severity").value;
    var query = $("f-search").value.trim().toLowerCase(), boiler = $("f-boilerplate").checked;
    var count = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], ok = true;
      if (!boiler && r.classList.contains("boilerplate")) ok = false;
      if (ok && garbled && r.dataset.garbled !== "true") ok = false;
      if (ok && flagged && r.dataset.flagged !== "true") ok = false;
      if (ok && code && (" " + r.dataset.codes + " ").indexOf(" " + code + " ") < 0) ok = false;
      if (ok && severity && (" " + r.dataset.severities + " ").indexOf(" " + severity + " ") < 0) ok = false;
      if (ok && query && r.textContent.toLowerCase().indexOf(query) < 0) ok = false;
      r.hidden = !ok;
      if (ok) count++;
    }
    shown.textContent = count + " of " + rows.length + " segments shown";
  }
  form.addEventListener("input", applyFilters);
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  // -- keyboard: j / k between flagged segments, / to search ---------------------
  function step(direction) {
    var visible = rows.filter(function (r) { return !r.hidden && r.dataset.flagged === "true"; });
    if (!visible.length) return;
    var current = visible.indexOf(document.activeElement.closest ? document.activeElement.closest("tr.seg") : null);
    var next = current < 0 ? (direction > 0 ? 0 : visible.length - 1)
                           : Math.min(visible.length - 1, Math.max(0, current + direction));
    visible[next].focus();
    visible[next].scrollIntoView({block: "center"});
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var typing = t && (t.tagName === "SELECT" || t.tagName === "TEXTAREA" ||
                       (t.tagName === "INPUT" && (t.type === "search" || t.type === "text")));
    if (typing) {
      if (e.key === "Escape") t.blur();
      return;
    }
    if (e.key === "j") { step(1); e.preventDefault(); }
    else if (e.key === "k") { step(-1); e.preventDefault(); }
    else if (e.key === "/") { $("f-search").focus(); e.preventDefault(); }
  });

  // -- reviewer decisions ------------------------------------------------------
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.decide"));
  var stored = load();
  var doc = form.dataset.doc;
  buttons.forEach(function (b) {
    var row = b.closest("tr.seg");
    var d = {segment: row.dataset.key, doc: doc, index: Number(row.id.slice(1)), action: b.dataset.action};
    if (b.dataset.rule) d.rule = b.dataset.rule; else d.code = b.dataset.code;
    b.setAttribute("aria-pressed", stored[idOf(d)] ? "true" : "false");
    b.addEventListener("click", function () {
      var all = load(), id = idOf(d);
      if (all[id]) { delete all[id]; b.setAttribute("aria-pressed", "false"); }
      else { all[id] = d; b.setAttribute("aria-pressed", "true"); }
      save(all);
    });
  });
  $("export").addEventListener("click", function () {
    var all = load();
    var list = Object.keys(all).sort().map(function (k) { return all[k]; });
    var blob = new Blob([JSON.stringify({version: 1, decisions: list}, null, 2) + "\n"], {type: "application/json"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "decisions.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  applyFilters();
})();
