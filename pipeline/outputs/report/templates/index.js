"use strict";
(function () {
  // Sortable columns: a header button sorts its table by that column (numbers numerically).
  Array.prototype.forEach.call(document.querySelectorAll("th button.sort"), function (button) {
    button.addEventListener("click", function () {
      var th = button.closest("th"), table = th.closest("table"), body = table.tBodies[0];
      var col = Array.prototype.indexOf.call(th.parentNode.children, th);
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.sort || a.cells[col].textContent, y = b.cells[col].dataset.sort || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });

  // Next / previous document (a document page's n and p keys come here as
  // "#after=<doc>" / "#before=<doc>"): the neighbour in the table's order, which opens.
  var step = /^#(after|before)=(.*)$/.exec(location.hash);
  if (step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("#documents tbody a[href^='docs/']"));
    var at = links.map(function (a) { return a.dataset.doc; }).indexOf(decodeURIComponent(step[2]));
    var next = at < 0 ? null : links[at + (step[1] === "after" ? 1 : -1)];
    if (next) { location.replace(next.href); return; }
    var note = document.getElementById("step-note");
    if (note) note.textContent = step[1] === "after" ? "That was the last document." : "That was the first document.";
  }

  // Served by `python -m pipeline review`: each document's progress, and the decisions
  // a later run left without their sentence.
  if (location.protocol !== "http:" && location.protocol !== "https:") return;
  fetch("api/progress", {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) throw new Error("no review server"); return r.json(); })
    .then(function (answer) {
      var todo = 0, done = 0;
      Array.prototype.forEach.call(document.querySelectorAll("td.review"), function (cell) {
        var p = answer.documents[cell.dataset.doc] || {to_review: 0, done: 0};
        todo += p.to_review; done += p.done;
        cell.textContent = p.done + " of " + p.to_review + " done";
        cell.dataset.sort = String(p.to_review - p.done);
      });
      document.getElementById("review-total").textContent = done + " of " + todo + " done";
      var stale = document.getElementById("stale");
      answer.stale.forEach(function (d) {
        var li = document.createElement("li");
        li.textContent = d.doc + " #" + d.index + ": " + d.action + (d.code ? " " + d.code : "") +
                         (d.rule ? " " + d.rule : "") + (d.text ? " \u201c" + d.text + "\u201d" : "");
        stale.querySelector("ul").appendChild(li);
      });
      stale.hidden = answer.stale.length === 0;
    })
    .catch(function () { /* from disk, or a plain web server: the counts as written */ });

  // Served with --suppressions FILE: its entries as they are now, each removable (the page
  // that silenced a finding can undo it; here any entry, from any visit, can be).
  var lasting = document.getElementById("lasting"), session = null;
  function listSuppressions() {
    fetch("api/suppressions", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (answer) {
        var list = lasting.querySelector("ul");
        list.textContent = "";
        answer.suppressions.forEach(function (entry) {
          var item = document.createElement("li"), remove = document.createElement("button");
          item.textContent = entry.describe + " ";
          remove.type = "button";
          remove.className = "unsuppress";
          remove.textContent = "Remove";
          remove.setAttribute("aria-label", "Remove suppression " + entry.number + ": it fires again in later runs");
          remove.addEventListener("click", function () {
            fetch("api/suppressions/" + entry.number + "/undo",
                  {method: "POST", credentials: "same-origin", headers: {"X-Review-Token": session.token}})
              .then(function (r) { if (!r.ok) throw new Error(r.status); })
              .then(listSuppressions, function () { remove.textContent = "Not removed: try again"; });
          });
          item.appendChild(remove);
          list.appendChild(item);
        });
        if (!answer.suppressions.length) {
          var none = document.createElement("li");
          none.textContent = "none";
          list.appendChild(none);
        }
        lasting.hidden = false;
      })
      .catch(function () { /* the file cannot be read: the server says why to whoever asks */ });
  }
  fetch("api/session", {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) throw new Error("no review server"); return r.json(); })
    .then(function (answer) { session = answer; if (answer.suppressions) listSuppressions(); })
    .catch(function () { /* not served by pipeline review */ });
})();
