"use strict";
(function () {
  // One store per output folder: pages opened from disk share the browser's storage, and
  // two batches' decisions must not mix (the folder is the page's address up to docs/).
  var FOLDER = location.href.split("#")[0].replace(/\/docs\/[^\/]*$/, "/");
  var STORE = "pipeline-decisions " + FOLDER;
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.seg"));
  var $ = function (id) { return document.getElementById(id); };
  var shown = $("shown");

  function load() { return loadFrom(STORE); }
  function save(all) { saveTo(STORE, all); }
  var UNDONE = "pipeline-decisions-undone " + FOLDER;
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
    var query = $("f-search").value.trim().toLowerCase();
    var todo = $("f-todo").checked;
    var count = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], ok = true;
      if (ok && garbled && r.dataset.garbled !== "true") ok = false;
      if (ok && flagged && r.dataset.flagged !== "true") ok = false;
      if (ok && todo && !(needsReview(r) && !isDone(r))) ok = false;
      if (ok && code && (" " + r.dataset.codes + " ").indexOf(" " + code + " ") < 0) ok = false;
      if (ok && severity && (" " + r.dataset.severities + " ").indexOf(" " + severity + " ") < 0) ok = false;
      if (ok && query && r.textContent.toLowerCase().indexOf(query) < 0) ok = false;
      r.hidden = !ok;
      if (ok) count++;
    }
    shown.textContent = count + " of " + rows.length + " segments shown";
  }
  // The sticky bar folds to one line (the keys stay behind ?), and stays so on every page.
  var FOLD = "pipeline-fold";
  function fold(folded) {
    form.classList.toggle("folded", folded);
    $("fold").setAttribute("aria-expanded", folded ? "false" : "true");
    $("fold").textContent = folded ? "Unfold" : "Fold";
  }
  fold(loadFrom(FOLD).folded === true);
  $("fold").addEventListener("click", function () {
    var folded = !form.classList.contains("folded");
    fold(folded);
    saveTo(FOLD, {folded: folded});
  });
  form.addEventListener("input", applyFilters);
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (e) { e.preventDefault(); });

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
  var doc = form.dataset.doc;

  // Writes to the server wait in `pending` (kept in this browser's storage too, so a reload
  // or a closed tab loses none) until the server takes them, in order; a write that fails
  // (the server down, the network gone) is tried again every few seconds, the page says how
  // many wait, and closing it asks first.
  var PENDING = "pipeline-pending " + FOLDER + " " + doc, RETRY_MS = 3000;
  var pending = loadFrom(PENDING).writes || [], sending = false, retryTimer = null;
  function keepPending() { saveTo(PENDING, {writes: pending}); }
  // A row with a write still to land is marked, until the last of them lands.
  function markUnsaved() {
    var waiting = {};
    pending.forEach(function (w) { waiting[w.body.segment || w.body.place.split("|")[0]] = true; });
    rows.forEach(function (r) { r.classList.toggle("unsaved", !!waiting[r.dataset.key]); });
  }
  function write(path, body) {
    pending.push({path: path, body: body});
    keepPending();
    markUnsaved();
    flush();
  }
  function flush() {
    if (sending || !pending.length || !server) return;
    sending = true;
    say("saving");
    var w = pending[0];
    api("POST", w.path, w.body).then(function () {
      sending = false;
      pending.shift();
      keepPending();
      markUnsaved();
      if (pending.length) flush(); else say("saved");
    }, function (e) {
      sending = false;
      say("not saved: " + e.message + " — " + pending.length + " waiting, trying again");
      clearTimeout(retryTimer);
      retryTimer = setTimeout(function () {  // a restarted server has a new token: ask for it
        fetch("/api/session", {credentials: "same-origin"})
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (session) { server = session; }, function () { /* still down */ })
          .then(flush);
      }, RETRY_MS);
    });
  }
  window.addEventListener("beforeunload", function (e) {
    if (pending.length) { e.preventDefault(); e.returnValue = ""; }
  });

  function isTaken(d) { return server ? !!serverStored[idOf(d)] : !!load()[idOf(d)]; }
  // Take decision `d`, or take it back when it is taken; `shown(taken)` updates the page
  // once it is stored. Every toggle a reviewer makes goes on the undo stack.
  var history = [];
  function toggle(d, shown, remembered) {
    var id = idOf(d), taking = !isTaken(d);
    if (remembered !== false) history.push(function () { toggle(d, shown, false); });
    if (server) {
      if (taking) serverStored[id] = d; else delete serverStored[id];
      shown(taking);
      progress();
      if (taking) write("/api/decisions", d); else write("/api/places/undo", {place: id, doc: doc});
      return;
    }
    var all = load();
    if (taking) all[id] = d; else delete all[id];
    save(all);
    shown(taking);
    progress();
  }

  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.decide"));
  var decisionOf = new Map();
  buttons.forEach(function (b) {
    var row = b.closest("tr.seg");
    var d = {segment: row.dataset.key, doc: doc, index: Number(row.id.slice(1)), action: b.dataset.action};
    if (b.dataset.start !== undefined) { d.start = Number(b.dataset.start); d.end = Number(b.dataset.end); }
    if (b.dataset.action === "dismiss-verdict") {
      // the whole segment: no place within it
    } else if (b.dataset.rule) {
      d.rule = b.dataset.rule; d.stage = b.dataset.stage; d.before = b.dataset.before; d.after = b.dataset.after;
    } else {
      d.code = b.dataset.code;
    }
    decisionOf.set(b, d);
    b.addEventListener("click", function () { pressAll([b]); });
  });
  function isPressed(b) { return b.getAttribute("aria-pressed") === "true"; }
  function press(b) {
    toggle(decisionOf.get(b), function (taken) { b.setAttribute("aria-pressed", taken ? "true" : "false"); }, false);
  }
  // An edit is kept or rejected, not both: the other button of the same edit.
  function rivalOf(b) {
    var other = {"reject-edit": "accept-edit", "accept-edit": "reject-edit"}[b.dataset.action];
    return other ? b.parentElement.querySelector("button.decide[data-action='" + other + "']") : null;
  }
  // Toggle every button of `list` as one decision for u, taking back a rival decision first.
  function pressAll(list) {
    var changed = [];
    list.forEach(function (b) {
      var rival = rivalOf(b);
      if (!isPressed(b) && rival && isPressed(rival)) { press(rival); changed.push(rival); }
      press(b);
      changed.push(b);
    });
    history.push(function () { changed.slice().reverse().forEach(press); });
  }
  function acceptance(row) {
    return {segment: row.dataset.key, doc: doc, index: Number(row.id.slice(1)), action: "accept"};
  }
  function showAccepted(row, taken) {
    row.dataset.accepted = taken ? "true" : "false";
  }
  function showAll() {
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", isTaken(decisionOf.get(b)) ? "true" : "false"); });
    rows.forEach(function (r) { showAccepted(r, isTaken(acceptance(r))); showPostEdit(r, storedText(r)); });
    progress();
  }

  // -- progress: segments that need review (flagged or garbled), and those done -----
  var progressOut = document.createElement("output");
  progressOut.id = "progress";
  progressOut.setAttribute("aria-live", "polite");
  shown.insertAdjacentElement("afterend", progressOut);
  function needsReview(r) {
    return !r.classList.contains("boilerplate") && (r.dataset.flagged === "true" || r.dataset.garbled === "true");
  }
  // Done: accepted as it is, post-edited, or every flag on it dismissed.
  function isDone(r) {
    if (r.dataset.accepted === "true" || r.dataset.postedited === "true") return true;
    var flags = Array.prototype.slice.call(r.querySelectorAll("button.decide[data-action='dismiss-flag']"));
    return flags.length > 0 && flags.every(function (b) { return b.getAttribute("aria-pressed") === "true"; });
  }
  // The ✓ of a row and the count say the same: a segment to review that is done.
  function progress() {
    var todo = rows.filter(needsReview);
    var done = 0;
    rows.forEach(function (r) {
      var finished = needsReview(r) && isDone(r);
      r.classList.toggle("done", finished);
      if (finished) done++;
    });
    progressOut.textContent = done + " of " + todo.length + " to review done";
  }

  // -- e: post-edit the cleaned sentence --------------------------------------------
  function postEdit(row) {
    return {segment: row.dataset.key, doc: doc, index: Number(row.id.slice(1)), action: "post-edit"};
  }
  function storedText(row) {
    var found = (server ? serverStored : load())[idOf(postEdit(row))];
    return found ? found.text : null;
  }
  // A post-edit is the sentence: the cleaned column shows it (the machine's cleaning is
  // kept to put back if the post-edit is undone), and a note says whose it is.
  function showPostEdit(row, text) {
    var note = row.querySelector("div.postedit");
    var cell = row.querySelector("td.cleaned") || row.querySelector("td.same");
    row.dataset.postedited = text === null ? "false" : "true";
    if (cell && cell.dataset.machine === undefined) cell.dataset.machine = cell.innerHTML;
    if (text === null) {
      if (note) note.remove();
      if (cell) { cell.innerHTML = cell.dataset.machine; cell.classList.remove("posted"); }
      return;
    }
    if (cell) { cell.textContent = text; cell.classList.add("posted"); }
    if (!note) {
      note = document.createElement("div");
      note.className = "postedit";
      row.querySelector("td.notes").insertAdjacentElement("afterbegin", note);
    }
    note.textContent = "Post-edited: \u201c" + text + "\u201d";
    note.title = "a run with --decisions puts it in the cleaned text and the checks judge it";
  }
  // The served page has the server judge a post-edit at once (the run's checks on that one
  // sentence), and says what they find under it.
  function recheck(row, text) {
    var old = row.querySelector("div.recheck");
    if (old) old.remove();
    if (text === null) return;
    api("POST", "/api/check", {doc: doc, index: Number(row.id.slice(1)), text: text}).then(function (answer) {
      if (storedText(row) !== text) return;  // changed again since
      var box = document.createElement("div");
      box.className = "recheck";
      var found = answer.flags.map(function (f) { return f.severity + " " + f.code + ": " + f.message; });
      box.textContent = "Your sentence, checked: " + (found.length ? found.join(" · ") : "nothing found") +
        (answer.garbled ? " · garbled (score " + answer.score.toFixed(2) + ")" : "") + (answer.note ? " (" + answer.note + ")" : "");
      var note = row.querySelector("div.postedit");
      (note || row.querySelector("td.notes")).insertAdjacentElement(note ? "afterend" : "afterbegin", box);
    }, function () { /* the server is down: the run with --decisions judges it */ });
  }
  // Store `text` as the segment's post-edit (null: none), then show it.
  function setPostEdit(row, text, remembered) {
    var before = storedText(row), d = postEdit(row), id = idOf(d);
    if (remembered !== false) history.push(function () { setPostEdit(row, before, false); });
    var shownAs = function () { showPostEdit(row, text); progress(); };
    if (server) {  // shown at once, its row marked until the server has it
      if (text === null) delete serverStored[id]; else serverStored[id] = Object.assign({text: text}, d);
      shownAs();
      recheck(row, text);
      if (text === null) write("/api/places/undo", {place: id, doc: doc});
      else write("/api/decisions", Object.assign({text: text}, d));
      return;
    }
    var all = load();
    if (text === null) delete all[id]; else all[id] = Object.assign({text: text}, d);
    save(all);
    shownAs();
  }
  function editInPlace(row) {
    if (!row || row.classList.contains("boilerplate") || row.querySelector("textarea.postedit")) return;
    var box = document.createElement("textarea");
    box.className = "postedit";
    box.setAttribute("aria-label", "Post-edit segment " + row.id.slice(1) + " (Enter saves, Escape cancels)");
    box.value = storedText(row) !== null ? storedText(row) : row.dataset.cleaned;
    row.querySelector("td.notes").insertAdjacentElement("afterbegin", box);
    box.focus();
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        var text = box.value.trim();
        box.remove();
        row.focus();
        if (text && text !== (storedText(row) !== null ? storedText(row) : row.dataset.cleaned)) {
          setPostEdit(row, text === row.dataset.cleaned ? null : text);
        }
      } else if (e.key === "Escape") {
        e.preventDefault();
        box.remove();
        row.focus();
      }
    });
  }

  // -- g: take the glossary's preferred form, as a post-edit ---------------------------
  function takeSuggestion(row) {
    if (!row) return;
    var note = row.querySelector("div.termnote[data-preferred]");
    if (!note) { say("no glossary suggestion here"); return; }
    var text = storedText(row) !== null ? storedText(row) : row.dataset.cleaned;
    var start = Number(note.dataset.start), end = Number(note.dataset.end);
    if (text.slice(start, end) !== note.dataset.found) { say("the sentence was edited there: press e"); return; }
    var preferred = note.dataset.preferred, found = note.dataset.found;
    if (found.charAt(0) !== found.charAt(0).toLowerCase()) {  // keep a capital the sentence had
      preferred = preferred.charAt(0).toUpperCase() + preferred.slice(1);
    }
    setPostEdit(row, text.slice(0, start) + preferred + text.slice(end));
  }
  // -- R / A: reject / keep (or take back) every edit of one rule in the document ------
  function decideRule(row, action) {
    var a = document.activeElement, rule = null;
    if (a && a.matches && a.matches("button.decide[data-rule]")) rule = a.dataset.rule;
    else if (row) {
      var first = row.querySelector("button.decide[data-action='" + action + "']");
      rule = first ? first.dataset.rule : null;
    }
    if (!rule) return;
    var same = buttons.filter(function (b) { return b.dataset.action === action && b.dataset.rule === rule; });
    var taking = same.some(function (b) { return !isPressed(b); });
    var changed = same.filter(function (b) { return isPressed(b) !== taking; });
    pressAll(changed);
    var done = action === "reject-edit" ? "rejected " : "kept ";
    say((taking ? done : "took back ") + changed.length + " " + rule + " edit" + (changed.length === 1 ? "" : "s"));
  }
  // -- Tab moves between the segments to review; arrows within one (roving focus) -----
  rows.forEach(function (r) { r.tabIndex = needsReview(r) ? 0 : -1; });
  // (each change's rule is also in the segment's notes, so its mark needs no Tab stop)
  Array.prototype.forEach.call(document.querySelectorAll("tr.seg button, tr.seg ins, tr.seg a"),
                               function (el) { el.tabIndex = -1; });

  // -- keyboard ----------------------------------------------------------------
  // j / k next / previous segment to review, a accept it, x dismiss its flag, r reject its
  // edit (the focused one, else the first not yet decided), arrows between a segment's
  // buttons, u undo the last decision, / search, ? the keys.
  function step(direction) {
    var visible = rows.filter(function (r) { return !r.hidden && needsReview(r); });
    if (!visible.length) return;
    var current = visible.indexOf(focusedRow());
    var next = current < 0 ? (direction > 0 ? 0 : visible.length - 1)
                           : Math.min(visible.length - 1, Math.max(0, current + direction));
    visible[next].focus();
    visible[next].scrollIntoView({block: "center"});
  }
  function focusedRow() {
    var a = document.activeElement;
    return a && a.closest ? a.closest("tr.seg") : null;
  }
  function decideIn(row, action) {
    if (!row) return false;
    var a = document.activeElement;
    var choices = Array.prototype.slice.call(row.querySelectorAll("button.decide[data-action='" + action + "']"));
    var b = (a && choices.indexOf(a) >= 0) ? a : choices.filter(function (c) {
      return c.getAttribute("aria-pressed") !== "true"; })[0];
    if (b) b.click();
    return !!b;
  }
  function moveAmongButtons(row, direction) {
    if (!row) return;
    var all = Array.prototype.slice.call(row.querySelectorAll("button"));
    if (!all.length) return;
    var i = all.indexOf(document.activeElement);
    all[i < 0 ? 0 : (i + direction + all.length) % all.length].focus();
  }
  var help = document.createElement("div");
  help.id = "keys-help";
  help.setAttribute("role", "dialog");
  help.setAttribute("aria-label", "Keys");
  help.hidden = true;
  help.textContent = "j / k: next / previous segment to review · a: accept the segment as it is · " +
    "x: the flag is a false positive (then: the segment is not garbled) · r: reject the edit · e: edit the cleaned sentence (Enter saves, Escape cancels) · ← / →: between the segment's flags and edits · " +
    "g: take the glossary's preferred form · R / A: reject / keep every edit of this edit's rule (again: take them back) · " +
    "Tab: next segment to review · Enter on a segment: edit it · Space on a segment: accept it · u: undo the last decision · h: who decided what about the segment, and when · /: search · n / p: next / previous document · ?: these keys · Escape: close";
  form.insertAdjacentElement("afterend", help);
  // h: who decided what about the focused segment, and when (served pages only)
  var historyBox = document.createElement("div");
  historyBox.id = "history";
  historyBox.setAttribute("role", "dialog");
  historyBox.setAttribute("aria-label", "History of the segment");
  historyBox.hidden = true;
  form.insertAdjacentElement("afterend", historyBox);
  function showHistory(row) {
    if (!row) return;
    if (!server) { say("the history is kept by the review server (python -m pipeline review)"); return; }
    api("GET", "/api/history?doc=" + encodeURIComponent(doc) + "&segment=" + encodeURIComponent(row.dataset.key))
      .then(function (answer) {
        historyBox.textContent = "";
        var title = document.createElement("p");
        title.textContent = "Segment " + row.id.slice(1) + ": " + (answer.history.length ? "" : "no decisions yet");
        historyBox.appendChild(title);
        answer.history.forEach(function (d) {
          var line = document.createElement("p");
          line.textContent = (d.at || "undated") + " · " + (d.reviewer || "unknown") + " · " + d.action +
            (d.text ? " \u201c" + d.text + "\u201d" : d.rule ? " " + d.rule : d.code ? " " + d.code : "") +
            (d.undone_at ? " · taken back " + d.undone_at : "");
          historyBox.appendChild(line);
        });
        historyBox.hidden = false;
      }, function (e) { say("no history: " + e.message); });
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var typing = t && (t.tagName === "SELECT" || t.tagName === "TEXTAREA" ||
                       (t.tagName === "INPUT" && (t.type === "search" || t.type === "text")));
    if (typing) {
      if (e.key === "Escape") { e.preventDefault(); t.blur(); }  // leave the box, keep its text
      return;
    }
    var row = focusedRow();
    var onRow = row && document.activeElement === row;  // the row itself, not a button in it
    if (onRow && e.key === "Enter") editInPlace(row);
    else if (onRow && e.key === " " && needsReview(row)) {
      toggle(acceptance(row), function (taken) { showAccepted(row, taken); });
    }
    else if (e.key === "j") step(1);
    else if (e.key === "k") step(-1);
    else if (e.key === "/") $("f-search").focus();
    else if (e.key === "a" && row && needsReview(row)) {
      toggle(acceptance(row), function (taken) { showAccepted(row, taken); });
    }
    else if (e.key === "x") decideIn(row, "dismiss-flag") || decideIn(row, "dismiss-verdict");
    else if (e.key === "r") decideIn(row, "reject-edit");
    else if (e.key === "e") editInPlace(row);
    else if (e.key === "g") takeSuggestion(row);
    else if (e.key === "R") decideRule(row, "reject-edit");
    else if (e.key === "A") decideRule(row, "accept-edit");
    else if (e.key === "ArrowRight" && row) moveAmongButtons(row, 1);
    else if (e.key === "ArrowLeft" && row) moveAmongButtons(row, -1);
    else if (e.key === "u") {
      var last = history.pop();
      if (last) last();
      else say("nothing to undo on this page since it was opened: take a decision back with its button");
    }
    else if (e.key === "h") showHistory(row);
    else if (e.key === "n") location.href = "../index.html#after=" + encodeURIComponent(doc);
    else if (e.key === "p") location.href = "../index.html#before=" + encodeURIComponent(doc);
    else if (e.key === "?") help.hidden = !help.hidden;
    else if (e.key === "Escape" && (!help.hidden || !historyBox.hidden)) { help.hidden = true; historyBox.hidden = true; }
    else return;
    e.preventDefault();
  });

  if (location.protocol === "http:" || location.protocol === "https:") {
    fetch("/api/session", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error("no review server"); return r.json(); })
      .then(function (session) {
        server = session;
        if (session.suppressions) addSilencers();
        return api("GET", "/api/decisions?doc=" + encodeURIComponent(doc));
      })
      .then(function (answer) {
        serverStored = {};
        answer.decisions.forEach(function (d) { serverStored[d.place] = d; });
        pending.forEach(function (w) {  // what this browser still has to send, as it will be
          if (w.path === "/api/decisions") serverStored[idOf(w.body)] = w.body;
          else delete serverStored[w.body.place];
        });
        showAll();
        if (overrideLine) showVerdict();
        markUnsaved();
        say(pending.length ? pending.length + " waiting to be saved" : "saved in " + server.database);
        flush();
      })
      .catch(function () { server = null; });  // a plain web server: the browser's storage, as from disk
  }
  showAll();
  // -- lasting suppressions (served with --suppressions FILE) -----------------------
  // Each flag gets "Silence everywhere": with a reason, the finding (this code on this
  // text in this sentence) or its whole check goes into the suppressions file, with the
  // reviewer's name, and every later run given that file leaves it out.
  function newButton(className, text, label) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.textContent = text;
    if (label) made.setAttribute("aria-label", label);
    return made;
  }
  function addSilencers() {
    Array.prototype.slice.call(document.querySelectorAll("button.decide[data-action='dismiss-flag']")).forEach(function (b) {
      var open = newButton("silence", "Silence everywhere", "Silence the " + b.dataset.code + " flag in every later run");
      b.insertAdjacentElement("afterend", open);
      open.addEventListener("click", function () {
        if (open.nextElementSibling && open.nextElementSibling.classList.contains("silence-form")) return;
        var box = document.createElement("span"), why = document.createElement("input");
        box.className = "silence-form";
        why.type = "text";
        why.placeholder = "why it is not a problem";
        why.setAttribute("aria-label", "Why the " + b.dataset.code + " flag is not a problem");
        box.appendChild(why);
        [["finding", "This finding"], ["check", "Every " + b.dataset.code + " flag"]].forEach(function (choice) {
          var go = newButton("silence-" + choice[0], choice[1]);
          go.addEventListener("click", function () {
            if (!why.value.trim()) { why.focus(); say("say why first: the suppression keeps it"); return; }
            var row = b.closest("tr.seg");
            api("POST", "/api/suppressions", {doc: doc, index: Number(row.id.slice(1)), code: b.dataset.code,
                                              start: Number(b.dataset.start), end: Number(b.dataset.end),
                                              scope: choice[0], why: why.value.trim()})
              .then(function (answer) {
                box.remove();
                open.hidden = true;
                var undo = newButton("unsilence", "Silenced everywhere: undo",
                                     "Let the " + b.dataset.code + " flag fire again in later runs");
                open.insertAdjacentElement("afterend", undo);
                undo.addEventListener("click", function () {
                  api("POST", "/api/suppressions/" + answer.number + "/undo").then(function () {
                    undo.remove();
                    open.hidden = false;
                    say("fires again in later runs: " + answer.describe);
                  }, function (e) { say("not undone: " + e.message); });
                });
                say("silenced in every later run: " + answer.describe);
              }, function (e) { say("not silenced: " + e.message); });
          });
          box.appendChild(go);
        });
        open.insertAdjacentElement("afterend", box);
        why.focus();
      });
    });
  }
  // -- decisions this run applied: shown on their segment, undone by a click -------
  var carried = [];
  try { carried = JSON.parse($("export").dataset.carried || "[]"); } catch (e) { carried = []; }
  var byNumber = {};
  carried.forEach(function (d) { byNumber[d.number] = d; });
  var undone = loadFrom(UNDONE);

  // -- the document's quality verdict: a reviewer may overrule the score's, with a reason --
  // One verdict per document's text (its key), the newest standing; a run given the
  // decisions counts the document by it. From disk it is kept here until exported.
  var quality = $("quality"), overrideLine = $("override");
  function verdictDecision() { return {segment: quality.dataset.key, doc: doc, action: "override-quality"}; }
  function carriedVerdict() {
    var d = carried.filter(function (c) { return c.action === "override-quality" && c.segment === quality.dataset.key; })[0];
    return d && !loadFrom(UNDONE)[idOf(d)] ? d : null;
  }
  function storedVerdict() { return (server ? serverStored : load())[idOf(verdictDecision())] || null; }
  function showVerdict() {
    var d = storedVerdict() || carriedVerdict();
    overrideLine.hidden = !d;
    overrideLine.textContent = "";
    if (!d) return;
    overrideLine.appendChild(document.createTextNode("Reviewer's verdict: "));
    var strong = document.createElement("strong");
    strong.textContent = d.verdict;
    overrideLine.appendChild(strong);
    overrideLine.appendChild(document.createTextNode((d.reviewer ? ", by " + d.reviewer : "") +
      (d.at ? " (" + d.at + ")" : "") + ": " + d.reason + " "));
    var back = newButton("unoverride", "Take back", "Take back the reviewer's verdict: the score decides again");
    back.addEventListener("click", function () { setVerdict(null); });
    overrideLine.appendChild(back);
  }
  // Store `verdict` ("pass" or "fail", with `reason`), or none (null), for this document.
  function setVerdict(verdict, reason) {
    var d = verdictDecision(), id = idOf(d), was = carriedVerdict();
    if (verdict === null && was) {  // the verdict the run applied: undone as the others are
      var gone = loadFrom(UNDONE);
      gone[idOf(was)] = true;
      saveTo(UNDONE, gone);
    }
    if (verdict !== null) d = Object.assign({verdict: verdict, reason: reason}, d);
    if (server) {
      if (verdict === null) delete serverStored[id]; else serverStored[id] = Object.assign({reviewer: server.reviewer}, d);
      if (verdict === null) write("/api/places/undo", {place: id, doc: doc}); else write("/api/decisions", d);
    } else {
      var all = load();
      if (verdict === null) delete all[id]; else all[id] = d;
      save(all);
    }
    showVerdict();
    say(verdict === null ? "verdict taken back: the score decides" : "verdict set to " + verdict);
  }
  if (quality && quality.dataset.key) {
    var overrule = newButton("overrule", "Overrule the verdict", "Give this document your own quality verdict, with a reason");
    quality.appendChild(document.createTextNode(" "));
    quality.appendChild(overrule);
    overrule.addEventListener("click", function () {
      if (quality.querySelector(".verdict-form")) return;
      var box = document.createElement("span"), why = document.createElement("input");
      box.className = "verdict-form";
      why.type = "text";
      why.placeholder = "why";
      why.setAttribute("aria-label", "Why this document passes or fails");
      box.appendChild(why);
      [["pass", "Pass it"], ["fail", "Fail it"]].forEach(function (choice) {
        var go = newButton("verdict-" + choice[0], choice[1]);
        go.addEventListener("click", function () {
          if (!why.value.trim()) { why.focus(); say("say why first: the verdict keeps it"); return; }
          setVerdict(choice[0], why.value.trim());
          box.remove();
        });
        box.appendChild(go);
      });
      var cancel = newButton("verdict-cancel", "Cancel");
      cancel.addEventListener("click", function () { box.remove(); });
      box.appendChild(cancel);
      quality.appendChild(box);
      why.focus();
    });
  }
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

  if (overrideLine) showVerdict();
  applyFilters();
})();
