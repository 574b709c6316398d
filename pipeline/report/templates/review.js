"use strict";
(function () {
  var STORE = "pipeline-decisions";
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.seg"));
  var $ = function (id) { return document.getElementById(id); };
  var shown = $("shown");

  function load() { return loadFrom(STORE); }
  function save(all) { saveTo(STORE, all); }
  var UNDONE = "pipeline-decisions-undone";
  function loadFrom(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function saveTo(key, all) {
    try { window.localStorage.setItem(key, JSON.stringify(all)); } catch (e) { /* storage off: decisions live until the page closes */ }
  }
  // A decision names one place: the change (before, after) or the flag span in its segment.
  function idOf(d) {
    return [d.segment, d.action, d.stage || "", d.rule || d.code, d.start, d.end, d.before, d.after].join("|");
  }

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
  // Kept in the review server's database when `python -m pipeline review` serves the
  // page (each saved as it is made), else in this browser's storage.
  var server = null, serverStored = {};
  function api(method, path, body) {
    return fetch(path, {method: method, credentials: "same-origin",
                        headers: {"Content-Type": "application/json", "X-Review-Token": server ? server.token : ""},
                        body: body === undefined ? undefined : JSON.stringify(body)})
      .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.json(); });
  }
  var status = document.createElement("span");
  status.id = "saved";
  status.setAttribute("role", "status");
  $("export").insertAdjacentElement("afterend", status);
  function say(text) { status.textContent = text; }

  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.decide"));
  var stored = load();
  var doc = form.dataset.doc;
  var decisionOf = new Map();
  buttons.forEach(function (b) {
    var row = b.closest("tr.seg");
    var d = {segment: row.dataset.key, doc: doc, index: Number(row.id.slice(1)), action: b.dataset.action,
             start: Number(b.dataset.start), end: Number(b.dataset.end)};
    if (b.dataset.rule) {
      d.rule = b.dataset.rule; d.stage = b.dataset.stage; d.before = b.dataset.before; d.after = b.dataset.after;
    } else {
      d.code = b.dataset.code;
    }
    decisionOf.set(b, d);
    b.setAttribute("aria-pressed", stored[idOf(d)] ? "true" : "false");
    b.addEventListener("click", function () {
      var id = idOf(d);
      if (server) {
        var taking = !serverStored[id];
        say("saving");
        var done = taking ? api("POST", "/api/decisions", d) : api("POST", "/api/places/undo", {place: id});
        done.then(function () {
          if (taking) serverStored[id] = d; else delete serverStored[id];
          b.setAttribute("aria-pressed", taking ? "true" : "false");
          say("saved");
        }, function (e) { say("not saved: " + e.message); });
        return;
      }
      var all = load();
      if (all[id]) { delete all[id]; b.setAttribute("aria-pressed", "false"); }
      else { all[id] = d; b.setAttribute("aria-pressed", "true"); }
      save(all);
    });
  });
  if (location.protocol === "http:" || location.protocol === "https:") {
    fetch("/api/session", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error("no review server"); return r.json(); })
      .then(function (session) {
        server = session;
        return api("GET", "/api/decisions?doc=" + encodeURIComponent(doc));
      })
      .then(function (answer) {
        serverStored = {};
        answer.decisions.forEach(function (d) { serverStored[d.place] = d; });
        buttons.forEach(function (b) {
          b.setAttribute("aria-pressed", serverStored[idOf(decisionOf.get(b))] ? "true" : "false");
        });
        say("saved in " + server.database);
      })
      .catch(function () { server = null; });  // a plain web server: the browser's storage, as from disk
  }
  // -- decisions this run applied: shown on their segment, undone by a click -------
  var carried = [];
  try { carried = JSON.parse($("export").dataset.carried || "[]"); } catch (e) { carried = []; }
  var byNumber = {};
  carried.forEach(function (d) { byNumber[d.number] = d; });
  var undone = loadFrom(UNDONE);
  Array.prototype.slice.call(document.querySelectorAll("button.undo")).forEach(function (b) {
    var d = byNumber[b.dataset.number];
    if (!d) return;
    b.setAttribute("aria-pressed", undone[idOf(d)] ? "true" : "false");
    b.addEventListener("click", function () {
      var all = loadFrom(UNDONE), id = idOf(d);
      if (all[id]) { delete all[id]; b.setAttribute("aria-pressed", "false"); }
      else { all[id] = true; b.setAttribute("aria-pressed", "true"); }
      saveTo(UNDONE, all);
    });
  });

  $("export").addEventListener("click", function () {
    var all = server ? serverStored : load(), gone = loadFrom(UNDONE), list = {};
    carried.forEach(function (d) {
      var copy = {}, id = idOf(d);
      Object.keys(d).forEach(function (k) { if (k !== "number") copy[k] = d[k]; });
      if (!gone[id]) list[id] = copy;
    });
    Object.keys(all).forEach(function (k) { list[idOf(all[k])] = all[k]; });
    list = Object.keys(list).sort().map(function (k) { return list[k]; });
    var blob = new Blob([JSON.stringify({version: 2, decisions: list}, null, 2) + "\n"], {type: "application/json"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "decisions.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  applyFilters();
})();
