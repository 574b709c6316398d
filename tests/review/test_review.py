"""The review server and its database: decisions saved as they are made, and applied by run."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import Settings, load_settings
from pipeline.decisions import load_decisions
from pipeline.review.server import MAX_BODY, TOKEN_HEADER, create_app
from pipeline.decisions.store import FILE_NAME, MIGRATIONS, SCHEMA_VERSION, ReviewStore, StoreError, place_of

from ..conftest import ROOT, SAMPLE


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("review") / "out"
    run_batch([str(SAMPLE)], out, Settings(), progress=QUIET)
    return out


def _records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]


def _a_flag_and_an_edit(out: Path) -> tuple[dict, dict]:
    """A dismiss-flag and a reject-edit decision for real places in the sample, as the page sends them."""
    records = _records(out)
    # apart: rejecting an edit moves the flags of its own segment
    flagged = next(r for r in records if r["flags"] and not r["edits"])
    edited = next(r for r in records if any(e["stage"] == "punctuation" for e in r["edits"]) and r is not flagged)
    flag = flagged["flags"][0]
    edit = next(e for e in edited["edits"] if e["stage"] == "punctuation")
    return ({"segment": flagged["key"], "doc": flagged["doc"], "index": flagged["index"], "action": "dismiss-flag",
             "code": flag["code"], "start": flag["start"], "end": flag["end"]},
            {"segment": edited["key"], "doc": edited["doc"], "index": edited["index"], "action": "reject-edit",
             "stage": edit["stage"], "rule": edit["rule"], "before": edit["before"], "after": edit["after"],
             "start": edit["start"], "end": edit["end"]})


# -- the store -----------------------------------------------------------------------------------

def test_a_new_database_has_the_schema_wal_and_foreign_keys(tmp_path):
    with ReviewStore(tmp_path / FILE_NAME) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):  # a decision about no document
            store.db.execute("INSERT INTO decisions (document, segment, place, action) VALUES ('x', 'k', 'p', 'accept')")


def test_toggling_a_place_twice_leaves_it_as_it_was_and_keeps_the_history(tmp_path):
    decision = {"segment": "k1", "action": "dismiss-flag", "code": "fragment", "start": 0, "end": 4}
    with ReviewStore(tmp_path / FILE_NAME) as store:
        stored = store.add("doc", decision)
        assert stored.place == place_of(decision) and [d.id for d in store.active()] == [stored.id]
        other = store.add("other", decision)  # the same sentence in another document keeps its own
        assert store.undo_place("doc", stored.place) == 1 and [d.id for d in store.active()] == [other.id]
        again = store.add("doc", decision)
        assert [d.id for d in store.active("doc")] == [again.id] and store.count() == 3
        assert store.undo(again.id) and not store.undo(again.id)


@pytest.mark.parametrize("decision, says", [
    ({"segment": "k", "action": "delete-everything"}, "unknown action"),
    ({"action": "accept"}, "key of its segment"),
    ({"segment": "k", "action": "reject-edit"}, "needs its rule"),
    ({"segment": "k", "action": "dismiss-flag"}, "needs its code"),
    ({"segment": "k", "action": "post-edit"}, "new text"),
    ({"segment": "k", "action": "accept", "start": "3"}, "whole number"),
    ({"segment": "k", "action": "override-quality", "verdict": "maybe", "reason": "r"}, "'pass' or 'fail'"),
    ({"segment": "k", "action": "override-quality", "verdict": "pass", "reason": " "}, "needs its reason"),
])
def test_a_malformed_decision_is_refused_and_nothing_is_stored(decision, says, tmp_path):
    with ReviewStore(tmp_path / FILE_NAME) as store:
        with pytest.raises(StoreError, match=says):
            store.add("doc", decision)
        assert store.count() == 0


def test_a_database_of_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / FILE_NAME
    ReviewStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer version"):
        ReviewStore(path)


def _database_of_schema(path: Path, version: int) -> None:
    """A review database as pipeline made it when its schema was `version`, with rows."""
    with sqlite3.connect(path) as db:
        for script in MIGRATIONS[:version]:
            db.executescript(script)
        db.execute(f"PRAGMA user_version = {version}")
        db.execute("INSERT INTO documents (id) VALUES ('doc')")
        db.executemany("INSERT INTO decisions (id, document, segment, place, action, rule, undone) "
                       "VALUES (?, 'doc', ?, ?, ?, ?, ?)",
                       [(3, "k1", "k1|accept", "accept", None, 0),
                        (7, "k2", "k2|reject-edit|r", "reject-edit", "quotes", 0),
                        (9, "k2", "k2|reject-edit|r", "reject-edit", "quotes", 1)])
    os.chmod(path, 0o644)


def test_a_database_of_the_first_schema_is_migrated_with_its_rows(tmp_path):
    path = tmp_path / FILE_NAME
    _database_of_schema(path, 1)
    with ReviewStore(path, read_only=True) as old:  # a run reads it as it is
        before = old.active()
    assert [(d.id, d.action) for d in before] == [(3, "accept"), (7, "reject-edit")]
    with ReviewStore(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert store.active() == before and store.count() == 3  # ids, the undone row and all
        kept = store.add("doc", {"segment": "k3", "action": "accept-edit", "rule": "quotes", "start": 0, "end": 1})
        assert kept.id == 10 and store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"decisions_by_document", "decisions_by_place", "decisions_by_segment"} <= indexes
        with pytest.raises(sqlite3.IntegrityError):  # the new table keeps the old constraints
            store.db.execute("INSERT INTO decisions (document, segment, place, action) VALUES ('doc', 'k', 'p', 'x')")
    with ReviewStore(path) as again:  # migrating is done once
        assert again.count() == 4


def test_each_decision_records_who_made_it_and_when_and_the_segment_has_a_history(tmp_path):
    path = tmp_path / FILE_NAME
    with ReviewStore(path) as store:
        first = store.add("doc", {"segment": "k", "action": "dismiss-flag", "code": "fragment", "start": 0, "end": 4},
                          reviewer="ana")
        store.undo(first.id)
        store.add("doc", {"segment": "k", "action": "post-edit", "text": "Better."}, reviewer="ben")
        store.add("doc", {"segment": "other", "action": "accept"}, reviewer="ana")
        history = store.history("doc", "k")
    assert [(d.reviewer, d.action) for d in history] == [("ana", "dismiss-flag"), ("ben", "post-edit")]
    assert all(d.made_at and d.made_at.endswith("+00:00") for d in history)
    assert history[0].undone_at and history[1].undone_at is None
    assert history[1].as_dict()["reviewer"] == "ben" and "at" in history[1].as_dict()
    # an older database, read as it is by a run, has neither
    old = tmp_path / "old.sqlite"
    _database_of_schema(old, 2)
    with ReviewStore(old, read_only=True) as store:
        assert {(d.reviewer, d.made_at) for d in store.active()} == {(None, None)}
        assert [d.undone_at for d in store.history("doc", "k2")] == [None, None]


def test_a_newer_verdict_on_a_document_takes_the_older_back(tmp_path):
    path = tmp_path / FILE_NAME
    with ReviewStore(path) as store:
        store.add("doc", {"segment": "dockey", "action": "override-quality", "verdict": "fail", "reason": "unusable"},
                  reviewer="ana")
        # the document was re-run with a new text: its key changed, and the newer verdict stands alone
        newer = store.add("doc", {"segment": "newkey", "action": "override-quality", "verdict": "pass",
                                  "reason": "the flags are house style"}, reviewer="ben")
        store.add("other", {"segment": "otherkey", "action": "override-quality", "verdict": "fail", "reason": "r"})
        verdicts = [d for d in store.active() if d.action == "override-quality"]
        assert [(d.document, d.verdict) for d in verdicts] == [("doc", "pass"), ("other", "fail")]
        assert verdicts[0] == newer and newer.as_dict()["reason"] == "the flags are house style"
        assert newer.as_dict()["reviewer"] == "ben"
    loaded = load_decisions(path)
    assert loaded.verdicts["newkey"].verdict == "pass" and loaded.verdicts["newkey"].reviewer == "ben"
    assert "dockey" not in loaded.verdicts
    # a database from before verdicts, read as it is by a run, has none
    old = tmp_path / "old.sqlite"
    _database_of_schema(old, 3)
    with ReviewStore(old, read_only=True) as store:
        assert {(d.verdict, d.reason) for d in store.active()} == {(None, None)}


def test_review_history_prints_who_decided_what_and_when(sample_out):
    records = _records(sample_out)
    seg = next(r for r in records if r["flags"])
    try:
        with ReviewStore(sample_out / FILE_NAME) as store:
            store.add(seg["doc"], {"segment": seg["key"], "action": "accept"}, reviewer="ana")
            store.add(seg["doc"], {"segment": seg["key"], "action": "post-edit", "text": "Hers."}, reviewer="ben")
        proc = subprocess.run([sys.executable, "-m", "pipeline", "review", str(sample_out), "--history",
                               f"{seg['doc']}#{seg['index']}"], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        assert lines[0].startswith(f"{seg['doc']} #{seg['index']}: ")
        assert "ana: accept" in lines[1] and "ben: post-edit “Hers.”" in lines[2]
        bad = subprocess.run([sys.executable, "-m", "pipeline", "review", str(sample_out), "--history", "nope#9"],
                             cwd=ROOT, capture_output=True, text=True)
        assert bad.returncode == 2 and "no segment nope#9" in bad.stderr
    finally:
        for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
            (sample_out / name).unlink(missing_ok=True)


def test_two_stores_opening_an_old_database_at_once_migrate_it_once(tmp_path):
    path = tmp_path / FILE_NAME
    _database_of_schema(path, 1)
    errors = []

    def open_it():
        try:
            ReviewStore(path).close()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with ReviewStore(path) as store:
        assert store.count() == 3 and store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_run_refuses_a_database_it_cannot_read(tmp_path):
    path = tmp_path / FILE_NAME
    sqlite3.connect(path).close()  # schema 0: not made by pipeline
    with pytest.raises(StoreError, match="schema 0"):
        ReviewStore(path, read_only=True)


def _save_forever(path: str, started) -> None:
    with ReviewStore(path) as store:
        started.set()
        n = 0
        while True:
            store.add("doc", {"segment": f"k{n}", "action": "post-edit", "text": "x" * 5000})
            n += 1


def test_a_server_killed_mid_save_leaves_the_database_whole(tmp_path):
    path = tmp_path / FILE_NAME
    ReviewStore(path).close()
    started = multiprocessing.Event()
    writer = multiprocessing.Process(target=_save_forever, args=(str(path), started))
    writer.start()
    started.wait(30)
    time.sleep(0.5)
    os.kill(writer.pid, signal.SIGKILL)
    writer.join()
    with ReviewStore(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = store.count()
        assert count > 0 and len(store.active()) == count
        assert all(d.new_text == "x" * 5000 for d in store.active())  # no half-written row


# -- the app -------------------------------------------------------------------------------------

@pytest.fixture
def client(sample_out, tmp_path):
    app = create_app(sample_out, token="t0ken")
    app.testing = True
    yield app.test_client()
    for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
        (sample_out / name).unlink(missing_ok=True)


def test_the_pages_are_served_with_their_policy(client, sample_out):
    index = client.get("/")
    assert index.status_code == 200 and b"<html" in index.data
    assert "connect-src 'self'" in index.headers["Content-Security-Policy"]
    page = client.get("/docs/tongren_relocation.en.html")
    assert page.status_code == 200 and page.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/../README.md", "/%2e%2e/README.md", "/docs/../../README.md", f"/{FILE_NAME}",
                                  f"/{FILE_NAME}-wal", "/.cache/manifest.jsonl", "/etc/passwd"])
def test_nothing_outside_the_pages_is_served(client, path):
    client.post("/api/decisions", json={"doc": "d", "segment": "k", "action": "accept"},
                headers={TOKEN_HEADER: "t0ken"})  # the database exists
    assert client.get(path).status_code == 404


def test_the_server_records_its_reviewer_and_tells_a_segment_history(sample_out):
    app = create_app(sample_out, token="t0ken", reviewer="ana")
    app.testing = True
    client = app.test_client()
    try:
        assert client.get("/api/session").get_json()["reviewer"] == "ana"
        made = client.post("/api/decisions", json={"doc": "d", "segment": "k", "action": "accept"},
                           headers={TOKEN_HEADER: "t0ken"}).get_json()["decision"]
        assert made["reviewer"] == "ana" and made["at"]
        [told] = client.get("/api/history?doc=d&segment=k").get_json()["history"]
        assert (told["reviewer"], told["action"], told["at"]) == ("ana", "accept", made["at"])
        assert client.get("/api/history?doc=d").status_code == 400
    finally:
        for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
            (sample_out / name).unlink(missing_ok=True)


def test_a_post_edit_is_checked_as_it_is_saved(client, sample_out):
    """`POST /api/check`: the run's checks on the reviewer's sentence in place of a segment."""
    seg = next(r for r in _records(sample_out) if r["kind"] == "body" and r["lang"] == "en")
    ask = {"doc": seg["doc"], "index": seg["index"]}
    doubled = client.post("/api/check", json={**ask, "text": "The county built built a new school this year."},
                          headers={TOKEN_HEADER: "t0ken"}).get_json()
    assert [f["code"] for f in doubled["flags"]] == ["repetition"] and doubled["score"] is not None
    fine = client.post("/api/check", json={**ask, "text": "The county built a new school this year."},
                       headers={TOKEN_HEADER: "t0ken"}).get_json()
    assert fine["flags"] == [] and fine["garbled"] is False
    assert client.post("/api/check", json={**ask, "text": "x"}).status_code == 403  # a write's token
    assert client.post("/api/check", json={"doc": "nope", "index": 0, "text": "x"},
                       headers={TOKEN_HEADER: "t0ken"}).status_code == 404
    assert client.post("/api/check", json={"doc": seg["doc"], "text": "x"},
                       headers={TOKEN_HEADER: "t0ken"}).status_code == 400


def test_a_post_edit_is_checked_with_its_document_languages_settings(tmp_path):
    from pipeline.review.check import SentenceChecker

    path = tmp_path / "s.toml"
    path.write_text('severities = ["repetition=error"]\n[languages.en]\nseverities = ["repetition=info"]\n'
                    '[languages.fr]\nskip_checks = ["repetition"]\n', encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(SAMPLE)], out, load_settings(path), progress=QUIET)
    seg = next(r for r in _records(out) if r["kind"] == "body" and r["lang"] == "en")
    checked = SentenceChecker(out).check(seg["doc"], seg["index"], "The county built built a new school this year.")
    assert [(f["code"], f["severity"]) for f in checked["flags"]] == [("repetition", "info")]


def test_every_write_needs_the_token(client):
    decision = {"doc": "d", "segment": "k", "action": "accept"}
    assert client.post("/api/decisions", json=decision).status_code == 403
    assert client.post("/api/decisions", json=decision, headers={TOKEN_HEADER: "wrong"}).status_code == 403
    token = client.get("/api/session").get_json()["token"]
    assert client.post("/api/decisions", json=decision, headers={TOKEN_HEADER: token}).status_code == 201


def test_bodies_are_limited_and_checked(client):
    headers = {TOKEN_HEADER: "t0ken"}
    big = {"doc": "d", "segment": "k", "action": "post-edit", "text": "x" * MAX_BODY}
    assert client.post("/api/decisions", json=big, headers=headers).status_code == 413
    assert client.post("/api/decisions", data="not json", headers=headers).status_code == 400
    bad = client.post("/api/decisions", json={"doc": "d", "segment": "k", "action": "nope"}, headers=headers)
    assert bad.status_code == 400 and "unknown action" in bad.get_json()["error"]


def test_another_host_name_is_refused(sample_out):
    app = create_app(sample_out)
    app.config["HOSTS"] = ("127.0.0.1:8765",)
    client = app.test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 421


def test_decisions_saved_in_the_server_are_applied_by_run(client, sample_out, tmp_path):
    flag, edit = _a_flag_and_an_edit(sample_out)
    for decision in (flag, edit, {"doc": flag["doc"], "segment": flag["segment"], "action": "accept"}):
        assert client.post("/api/decisions", json=decision, headers={TOKEN_HEADER: "t0ken"}).status_code == 201
    listed = client.get(f"/api/decisions?doc={flag['doc']}").get_json()["decisions"]
    assert [d["action"] for d in listed] == ["dismiss-flag", "reject-edit", "accept"]
    database = sample_out / FILE_NAME
    loaded = load_decisions(database)
    assert len(loaded) == 2  # the acceptance is a record, not an instruction to a run
    again = tmp_path / "again"
    run_batch([str(SAMPLE)], again, load_settings(decisions=str(database)), progress=QUIET)
    summary = json.loads((again / "summary.json").read_text(encoding="utf-8"))
    assert summary["decisions"]["applied"] == 2 and not summary["decisions"]["stale"]
    after = {r["key"]: r for r in _records(again)}
    assert not any(f["code"] == flag["code"] and (f["start"], f["end"]) == (flag["start"], flag["end"])
                   for f in after[flag["segment"]]["flags"])
    assert not any((e["rule"], e["start"]) == (edit["rule"], edit["start"]) for e in after[edit["segment"]]["edits"])


def test_a_verdict_given_on_the_served_page_is_applied_by_run(client, sample_out, tmp_path):
    import re
    doc = SAMPLE.stem
    page = client.get(f"/docs/{doc}.html").get_data(as_text=True)
    key = re.search(r'id="quality" data-key="([0-9a-f]+)"', page).group(1)
    verdict = {"doc": doc, "segment": key, "action": "override-quality", "verdict": "fail", "reason": "calques"}
    assert client.post("/api/decisions", json={**verdict, "reason": ""},
                       headers={TOKEN_HEADER: "t0ken"}).status_code == 400
    assert client.post("/api/decisions", json=verdict, headers={TOKEN_HEADER: "t0ken"}).status_code == 201
    progress = client.get("/api/progress").get_json()
    assert progress["stale"] == []  # a document's verdict is no segment's
    again = tmp_path / "again"
    run_batch([str(SAMPLE)], again, load_settings(decisions=str(sample_out / FILE_NAME)), progress=QUIET)
    summary = json.loads((again / "summary.json").read_text(encoding="utf-8"))
    quality = summary["documents"][0]["quality"]
    assert not quality["passed"] and quality["override"]["reason"] == "calques" and quality["override"]["reviewer"]
    assert not summary["quality"]["passed"] and summary["quality"]["overridden"] == {"fail": 1}


# -- the real server -----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(sample_out):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "review", str(sample_out), "--port", str(port)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    assert f"http://127.0.0.1:{port}/" in line, line
    yield f"http://127.0.0.1:{port}", proc
    proc.terminate()
    proc.wait(timeout=30)
    for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
        (sample_out / name).unlink(missing_ok=True)


def _post(url: str, body: dict, token: str) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", TOKEN_HEADER: token})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status


def test_two_clients_saving_500_decisions_each_lose_none(served, sample_out):
    """The load test: two clients at once against the loopback address."""
    base, _proc = served
    token = json.load(urllib.request.urlopen(f"{base}/api/session", timeout=30))["token"]
    failures: list = []

    def client(name: str) -> None:
        for n in range(500):
            try:
                assert _post(f"{base}/api/decisions", {"doc": "d", "segment": f"{name}-{n}", "action": "accept"},
                             token) == 201
            except Exception as exc:  # noqa: BLE001 - counted below
                failures.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(name,)) for name in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    assert not failures
    with ReviewStore(sample_out / FILE_NAME) as store:
        assert store.count() == 1000 and len(store.active()) == 1000
    artifacts = ROOT / "reports" / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "review-load.json").write_text(json.dumps(
        {"clients": 2, "decisions": 1000, "seconds": round(seconds, 2),
         "decisions_per_s": round(1000 / seconds, 1)}) + "\n", encoding="utf-8")


def test_review_of_a_folder_that_is_not_an_output_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "review", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "not an output folder" in proc.stderr and "Traceback" not in proc.stderr


def test_export_writes_the_decisions_run_reads(sample_out):
    flag, edit = _a_flag_and_an_edit(sample_out)
    with ReviewStore(sample_out / FILE_NAME) as store:
        store.add(flag["doc"], flag)
        store.add(edit["doc"], {**edit, "action": "post-edit", "text": "A sentence of the reviewer's."})
        store.add(edit["doc"], {**edit, "action": "accept-edit"})
        store.add(edit["doc"], {"segment": "dockey", "action": "override-quality", "verdict": "fail",
                                "reason": "too many calques"}, reviewer="ana")
    try:
        proc = subprocess.run([sys.executable, "-m", "pipeline", "review", str(sample_out), "--export"], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        exported = sample_out / "reviewed" / "decisions.json"
        data = json.loads(exported.read_text(encoding="utf-8"))
        assert [d["action"] for d in data["decisions"]] == ["dismiss-flag", "post-edit", "accept-edit",
                                                            "override-quality"]
        assert data["decisions"][1]["text"] == "A sentence of the reviewer's."
        assert len(load_decisions(exported)) == 3  # the dismissal, the post-edit, the verdict; the kept edit a record
        assert load_decisions(exported).verdicts["dockey"].reviewer == "ana"
        doc_id = edit["doc"]
        reviewed = (sample_out / "reviewed" / f"{doc_id}.txt").read_text(encoding="utf-8")
        cleaned = (sample_out / "cleaned" / f"{doc_id}.txt").read_text(encoding="utf-8")
        old = next(r["cleaned"] for r in _records(sample_out) if r["index"] == edit["index"])
        assert old in cleaned and old not in reviewed and "A sentence of the reviewer's." in reviewed
        assert reviewed.replace("A sentence of the reviewer's.", old) == cleaned  # nothing else moved
        from lxml import etree
        ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
        xliff = etree.parse(str(sample_out / "reviewed" / f"{doc_id}.xlf"))
        assert xliff.getroot().get("version") == "2.1"
        edited_unit = xliff.find(f".//x:unit[@id='s{edit['index']}']", ns)
        assert edited_unit.find("x:segment", ns).get("state") == "reviewed"
        assert edited_unit.find("x:segment/x:target", ns).text == "A sentence of the reviewer's."
        notes = " ".join(n.text for n in edited_unit.findall("x:notes/x:note", ns))
        assert "post-edited" in notes and f"kept the {edit['rule']} edit" in notes
        flagged_unit = xliff.find(f".//x:unit[@id='s{flag['index']}']", ns)
        assert flagged_unit.find("x:segment", ns).get("state") == "reviewed"
        assert "false positive" in " ".join(n.text for n in flagged_unit.findall("x:notes/x:note", ns))
        file_notes = [n.text for n in xliff.findall("x:file/x:notes/x:note", ns)]
        assert file_notes == ["the reviewer's quality verdict on the document: fail (too many calques)"]
        states = [s.get("state") for s in xliff.findall(".//x:segment", ns)]
        assert states.count("reviewed") == 2 and "translated" in states
    finally:
        for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
            (sample_out / name).unlink(missing_ok=True)


def test_review_export_and_a_run_with_the_decisions_give_one_reviewed_text(sample_out, tmp_path):
    """Every decision applied by either command: the rejected edit taken out, the post-edit
    put in, the dismissed flag gone; `run --decisions` judges the post-edit too."""
    flag, edit = _a_flag_and_an_edit(sample_out)
    records = _records(sample_out)
    other = next(r for r in records if r["kind"] == "body" and r["index"] not in (flag["index"], edit["index"]))
    mine = "The county finished its own plan this year."
    with ReviewStore(sample_out / FILE_NAME) as store:
        store.add(flag["doc"], flag)
        store.add(edit["doc"], edit)
        store.add(other["doc"], {"segment": other["key"], "doc": other["doc"], "index": other["index"],
                                 "action": "post-edit", "text": mine})
    try:
        proc = subprocess.run([sys.executable, "-m", "pipeline", "review", str(sample_out), "--export"], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        doc_id = edit["doc"]
        reviewed = (sample_out / "reviewed" / f"{doc_id}.txt").read_text(encoding="utf-8")
        old = next(r for r in records if r["index"] == edit["index"])
        assert old["cleaned"] not in reviewed  # the rejected edit is out
        assert mine in reviewed
        again = tmp_path / "again"
        proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--out", str(again),
                               "--decisions", str(sample_out / FILE_NAME), "--no-report"], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert (again / "cleaned" / f"{doc_id}.txt").read_text(encoding="utf-8") == reviewed
        rerun = {r["index"]: r for r in _records(again)}
        assert rerun[other["index"]]["cleaned"] == mine and rerun[other["index"]]["edits"][-1]["rule"] == "post-edit"
        assert not any((f["code"], f["start"], f["end"]) == (flag["code"], flag["start"], flag["end"])
                       for f in rerun[flag["index"]]["flags"])
    finally:
        for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
            (sample_out / name).unlink(missing_ok=True)


def test_a_damaged_database_or_output_is_one_line_not_a_traceback(tmp_path):
    out = tmp_path / "out"
    run_batch([str(SAMPLE)], out, Settings(), progress=QUIET)
    (out / FILE_NAME).write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "review", str(out), "--export"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "damaged" in proc.stderr and "Traceback" not in proc.stderr
    (out / FILE_NAME).unlink()
    (out / "segments.jsonl").write_text("{not json\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "review", str(out), "--export"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "damaged" in proc.stderr and "Traceback" not in proc.stderr


def test_decisions_still_in_the_log_are_seen_by_a_re_run(tmp_path):
    """While the server runs, its latest decisions may sit in the database's write-ahead
    log; a re-run must see them (not reuse the documents or the stages built before)."""
    first = tmp_path / "first"
    run_batch([str(SAMPLE)], first, Settings(), progress=QUIET)
    flag, edit = _a_flag_and_an_edit(first)
    database = tmp_path / FILE_NAME
    store = ReviewStore(database)  # held open, as the server holds it: no checkpoint
    try:
        store.add(flag["doc"], flag)
        out = tmp_path / "out"
        settings = load_settings(decisions=str(database))
        assert run_batch([str(SAMPLE)], out, settings, progress=QUIET).summary["decisions"]["applied"] == 1
        store.add(edit["doc"], edit)
        assert Path(f"{database}-wal").stat().st_size > 0
        again = run_batch([str(SAMPLE)], out, settings, progress=QUIET)
        assert again.reused == 0 and again.summary["decisions"]["applied"] == 2
    finally:
        store.close()


def test_progress_counts_what_is_done_and_lists_decisions_a_re_run_left_behind(tmp_path):
    source = tmp_path / "in" / "article.txt"
    source.parent.mkdir()
    source.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(source)], out, Settings(), progress=QUIET)
    records = [r for r in _records(out) if r["kind"] != "boilerplate" and (r["flags"] or r["garbled"])]
    app = create_app(out, token="t")
    client = app.test_client()
    before = client.get("/api/progress").get_json()
    assert before["documents"]["article"] == {"to_review": len(records), "done": 0} and before["stale"] == []
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"][0]["to_review"] == len(records)
    accepted, dismissed = records[0], next(r for r in records[1:] if r["flags"])
    post = lambda d: client.post("/api/decisions", json=d, headers={TOKEN_HEADER: "t"})  # noqa: E731
    post({"doc": "article", "segment": accepted["key"], "index": accepted["index"], "action": "accept"})
    for f in dismissed["flags"]:
        post({"doc": "article", "segment": dismissed["key"], "index": dismissed["index"], "action": "dismiss-flag",
              "code": f["code"], "start": f["start"], "end": f["end"]})
    assert client.get("/api/progress").get_json()["documents"]["article"]["done"] == 2
    # the sentence accepted changes; a re-run into the folder keeps the database
    source.write_text(source.read_text(encoding="utf-8").replace(accepted["original"], "A wholly new sentence here."),
                      encoding="utf-8")
    run_batch([str(source)], out, Settings(), progress=QUIET)
    after = client.get("/api/progress").get_json()
    assert [d["segment"] for d in after["stale"]] == [accepted["key"]]
    assert after["documents"]["article"]["done"] == 1


def test_the_server_killed_while_saving_leaves_every_answered_decision(sample_out):
    """kill -9 the real server in the middle of a stream of saves: the database is whole,
    and holds every decision the server answered 201 for."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "review", str(sample_out), "--port", str(port)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        proc.stderr.readline()
        base = f"http://127.0.0.1:{port}"
        token = json.load(urllib.request.urlopen(f"{base}/api/session", timeout=30))["token"]
        answered, stop = [], threading.Event()

        def save() -> None:
            n = 0
            while not stop.is_set():
                try:
                    if _post(f"{base}/api/decisions", {"doc": "d", "segment": f"k{n}", "action": "post-edit",
                                                       "text": "y" * 2000}, token) == 201:
                        answered.append(n)
                except Exception:  # noqa: BLE001 - the server is gone
                    return
                n += 1

        saver = threading.Thread(target=save)
        saver.start()
        time.sleep(1.0)
        os.kill(proc.pid, signal.SIGKILL)
        stop.set()
        saver.join(timeout=30)
        proc.wait(timeout=30)
        with ReviewStore(sample_out / FILE_NAME) as store:
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = {int(d.segment[1:]) for d in store.active()}
        assert answered and set(answered) <= stored
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
            (sample_out / name).unlink(missing_ok=True)


def test_listening_beyond_this_machine_is_said(sample_out):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "review", str(sample_out), "--host", "0.0.0.0",
                             "--port", str(port)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        first, second = proc.stderr.readline(), proc.stderr.readline()
        assert first.startswith("warning: listening on 0.0.0.0") and f":{port}/" in second
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
            (sample_out / name).unlink(missing_ok=True)


def test_the_server_writes_lasting_suppressions_with_who_and_why(sample_out, tmp_path):
    from pipeline.decisions.suppressions import load_suppressions

    path = tmp_path / "suppressions.json"
    app = create_app(sample_out, token="t0ken", reviewer="ana", suppressions=path)
    app.testing = True
    client = app.test_client()
    auth = {TOKEN_HEADER: "t0ken"}
    try:
        assert client.get("/api/session").get_json()["suppressions"] is True
        record, flag = next((r, f) for r in _records(sample_out) for f in r["flags"])
        body = {"doc": record["doc"], "index": record["index"], "code": flag["code"], "start": flag["start"],
                "end": flag["end"], "scope": "finding", "why": "a name"}
        assert client.post("/api/suppressions", json=body).status_code == 403  # no token
        made = client.post("/api/suppressions", json=body, headers=auth)
        assert made.status_code == 201 and made.get_json()["number"] == 1
        (entry,) = load_suppressions(path).entries
        assert (entry.code, entry.text, entry.context, entry.who, entry.why) == (
            flag["code"], record["cleaned"][flag["start"]:flag["end"]], record["cleaned"], "ana", "a name")
        whole = client.post("/api/suppressions", json={**body, "scope": "check", "why": "house style"}, headers=auth)
        assert whole.get_json()["number"] == 2 and load_suppressions(path).entries[1].whole_check
        listed = client.get("/api/suppressions").get_json()["suppressions"]
        assert [s["number"] for s in listed] == [1, 2] and listed[1]["why"] == "house style"
        assert client.post("/api/suppressions", json={**body, "why": " "}, headers=auth).status_code == 400
        assert client.post("/api/suppressions", json={**body, "code": "nope"}, headers=auth).status_code == 404
        assert client.post("/api/suppressions/1/undo", headers=auth).get_json() == {"undone": 1}
        assert [e.why for e in load_suppressions(path).entries] == ["house style"]
        assert client.post("/api/suppressions/9/undo", headers=auth).status_code == 404
    finally:
        for name in (FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
            (sample_out / name).unlink(missing_ok=True)


def test_without_a_suppressions_file_the_server_has_none(client):
    assert client.get("/api/session").get_json()["suppressions"] is False
    assert client.get("/api/suppressions").status_code == 404
    assert client.post("/api/suppressions", json={}, headers={TOKEN_HEADER: "t0ken"}).status_code == 404
