"""`python -m pipeline review DIR`: the output folder's pages, served with a store behind them.

Flask (the routes, request parsing, size limits, safe file serving) under waitress (a
pure-Python production WSGI server: threads, no compiled parts, on every platform): a
small synchronous app over SQLite needs nothing asynchronous, and neither parses HTTP by
hand. The pages are the same files `run` wrote; a page served from here finds the server
(`GET /api/session`) and saves each decision to `DIR/review.sqlite` as it is made, where
the same page opened from disk keeps them in the browser as before.

Safety: it binds 127.0.0.1 unless told otherwise; only files under DIR are served, never
the database; a request whose Host is not the server's own is refused (a page of another
site cannot reach it by renaming itself, "DNS rebinding"); every state-changing request
carries the server's token, which only a page of this origin can read; request bodies
are limited to `MAX_BODY` bytes; responses carry the pages' Content-Security-Policy.
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path

from flask import Flask, abort, g, jsonify, request, send_from_directory

from ..config import SettingsError
from ..decisions.store import FILE_NAME, ReviewStore, StoreError
from ..decisions.suppressions import finding, load_suppressions, whole_check
from ..outputs.write import find_record
from .progress import review_progress

MAX_BODY = 64 * 1024  # one decision, its post-edited sentence included, with room to spare
TOKEN_HEADER = "X-Review-Token"
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'; "
       "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def create_app(folder: str | Path, token: str | None = None, reviewer: str | None = None,
               suppressions: str | Path | None = None) -> Flask:
    """The review app for the output folder `folder`. `app.config["HOSTS"]` are the Host
    values it answers to (its address and port, set by `serve`; empty allows any). With
    `suppressions` (a lasting-suppressions file, made when missing), a page can silence a
    finding or a whole check there (`POST /api/suppressions`)."""
    folder = Path(folder).resolve()
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.config["TOKEN"] = token or secrets.token_urlsafe(32)
    app.config["REVIEWER"] = reviewer or default_reviewer()
    app.config["HOSTS"] = ()
    app.config["SUPPRESSIONS"] = Path(suppressions).resolve() if suppressions else None
    suppressions_lock = threading.Lock()  # one writer of the file at a time (waitress serves on threads)
    database = folder / FILE_NAME
    ReviewStore(database).close()  # created and brought up to date once, before any request

    def store() -> ReviewStore:
        if "store" not in g:
            g.store = ReviewStore(database)
        return g.store

    @app.teardown_appcontext
    def close(_exc) -> None:
        opened = g.pop("store", None)
        if opened is not None:
            opened.close()

    @app.before_request
    def guard():
        if app.config["HOSTS"] and request.host not in app.config["HOSTS"]:
            abort(421)  # misdirected: not addressed to this server
        if request.method not in ("GET", "HEAD") and not secrets.compare_digest(
                request.headers.get(TOKEN_HEADER, ""), app.config["TOKEN"]):
            abort(403)

    @app.after_request
    def headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = CSP
        return response

    @app.get("/api/session")
    def session():
        return jsonify(token=app.config["TOKEN"], database=FILE_NAME, reviewer=app.config["REVIEWER"],
                       suppressions=app.config["SUPPRESSIONS"] is not None)

    @app.get("/api/decisions")
    def decisions():
        document = request.args.get("doc")
        return jsonify(decisions=[_public(d) for d in store().active(document)])

    @app.post("/api/decisions")
    def add():
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("doc"), str) or not body["doc"]:
            return jsonify(error="expected a JSON decision with its 'doc'"), 400
        try:
            stored = store().add(body["doc"], body, reviewer=app.config["REVIEWER"])
        except StoreError as exc:
            return jsonify(error=str(exc)), 400
        return jsonify(decision=_public(stored)), 201

    @app.post("/api/decisions/<int:decision_id>/undo")
    def undo(decision_id: int):
        if not store().undo(decision_id):
            return jsonify(error=f"no decision {decision_id} in force"), 404
        return jsonify(undone=decision_id)

    @app.post("/api/places/undo")
    def undo_place():
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("place"), str) or not isinstance(body.get("doc"), str):
            return jsonify(error="expected {\"doc\": ..., \"place\": ...}"), 400
        return jsonify(undone=store().undo_place(body["doc"], body["place"]))

    checker = []  # built on the first check: the stages take a moment

    @app.post("/api/check")
    def check():
        body = request.get_json(silent=True)
        if not (isinstance(body, dict) and isinstance(body.get("doc"), str) and isinstance(body.get("text"), str)
                and isinstance(body.get("index"), int) and not isinstance(body.get("index"), bool)):
            return jsonify(error="expected {\"doc\": ..., \"index\": N, \"text\": ...}"), 400
        if not checker:
            from .check import SentenceChecker
            checker.append(SentenceChecker(folder))
        judged = checker[0].check(body["doc"], body["index"], body["text"])
        if judged is None:
            return jsonify(error=f"no segment {body['index']} of {body['doc']} in this folder"), 404
        return jsonify(judged)

    @app.get("/api/history")
    def history():
        document, segment = request.args.get("doc"), request.args.get("segment")
        if not document or not segment:
            return jsonify(error="expected ?doc=...&segment=... (the segment's key)"), 400
        return jsonify(history=[_public(d) for d in store().history(document, segment)])

    @app.get("/api/progress")
    def progress():
        return jsonify(review_progress(folder / "segments.jsonl", store().active()))

    @app.get("/api/suppressions")
    def list_suppressions():
        path = app.config["SUPPRESSIONS"]
        if path is None:
            return jsonify(error="served without --suppressions"), 404
        try:
            entries = load_suppressions(path, missing_ok=True)
        except SettingsError as exc:
            return jsonify(error=str(exc)), 500
        return jsonify(suppressions=[{"number": n, "describe": e.describe(), **e.as_dict()}
                                     for n, e in enumerate(entries.entries, start=1)])

    @app.post("/api/suppressions")
    def suppress():
        path = app.config["SUPPRESSIONS"]
        if path is None:
            return jsonify(error="served without --suppressions"), 404
        body = request.get_json(silent=True)
        if not (isinstance(body, dict) and isinstance(body.get("doc"), str) and _whole(body.get("index"))
                and isinstance(body.get("code"), str) and body.get("scope") in ("finding", "check")
                and isinstance(body.get("why"), str) and body["why"].strip()):
            return jsonify(error="expected {\"doc\", \"index\", \"code\", \"scope\": \"finding\" or "
                                 "\"check\", \"why\", and for a finding \"start\" and \"end\"}"), 400
        record = _record(folder, body["doc"], body["index"])
        flag = next((f for f in (record or {}).get("flags", ()) if f["code"] == body["code"]
                     and (body["scope"] == "check" or (f["start"], f["end"]) == (body.get("start"), body.get("end")))),
                    None)
        if flag is None:
            return jsonify(error=f"no {body['code']} flag there in {body['doc']} segment {body['index']}"), 404
        who, why = app.config["REVIEWER"], body["why"].strip()
        entry = (finding(flag["code"], record["cleaned"][flag["start"]:flag["end"]], record["cleaned"], who, why)
                 if body["scope"] == "finding" else whole_check(flag["code"], who, why))
        with suppressions_lock:
            try:
                entries = load_suppressions(path, missing_ok=True)
            except SettingsError as exc:
                return jsonify(error=str(exc)), 500
            grown = entries.added(entry)
            try:
                grown.write(path)
            except SettingsError as exc:
                return jsonify(error=str(exc)), 500
        return jsonify(suppression=entry.as_dict(), describe=entry.describe(), number=len(grown)), 201

    @app.post("/api/suppressions/<int:number>/undo")
    def unsuppress(number: int):
        path = app.config["SUPPRESSIONS"]
        if path is None:
            return jsonify(error="served without --suppressions"), 404
        with suppressions_lock:
            try:
                entries = load_suppressions(path, missing_ok=True)
                entries.removed(number).write(path)
            except SettingsError as exc:
                return jsonify(error=str(exc)), 404
        return jsonify(undone=number)

    @app.get("/")
    def index():
        return _page(folder, "index.html")

    @app.get("/<path:name>")
    def page(name: str):
        return _page(folder, name)

    return app


# What run writes for people to read; never the database, its log or the re-run cache.
SERVED_FILES = ("index.html", "summary.json", "segments.jsonl")
SERVED_FOLDERS = ("docs", "chrome", "cleaned", "export", "reviewed")


def _page(folder: Path, name: str):
    parts = Path(name).parts
    if not (name in SERVED_FILES or (len(parts) == 2 and parts[0] in SERVED_FOLDERS
                                     and not parts[1].startswith("."))):
        abort(404)
    return send_from_directory(folder, name)  # refuses paths that leave the folder


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _record(folder: Path, doc: str, index: int) -> dict | None:
    """The run's record of `doc`'s segment `index`, or None (also when it cannot be read)."""
    try:
        return find_record(folder, doc, index)
    except (OSError, ValueError):
        return None


def _public(decision) -> dict:
    return {"id": decision.id, "place": decision.place, **decision.as_dict()}


def default_reviewer() -> str:
    """The account's name, for decisions made without `--reviewer`."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container)
        return "unknown"


def serve(folder: str | Path, host: str = "127.0.0.1", port: int = 8765, ready=None,
          reviewer: str | None = None, suppressions: str | Path | None = None) -> None:
    """Serve until interrupted. `ready(address)` is told the address once it listens."""
    from waitress.server import create_server

    app = create_app(folder, reviewer=reviewer, suppressions=suppressions)
    server = create_server(app, host=host, port=port, threads=8, max_request_body_size=MAX_BODY)
    bound = server.effective_port
    address = f"http://{_url_host(host)}:{bound}/"
    allowed = {f"{_url_host(host)}:{bound}"}
    if host in ("127.0.0.1", "localhost", "::1"):
        allowed |= {f"127.0.0.1:{bound}", f"localhost:{bound}", f"[::1]:{bound}"}
    app.config["HOSTS"] = tuple(sorted(allowed))
    if ready:
        ready(address)
    server.run()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
