"""End-to-end: `python -m pipeline run` as a user runs it."""

import json
import re
import subprocess
import sys

import pytest

from pipeline.text.edits import replay

from .conftest import FIXTURES, ROOT, SAMPLE

CONTRACT = {"doc", "index", "start", "end", "kind", "lang", "lang_prob", "source", "original", "cleaned",
            "edits", "flags", "garble_score", "garbled"}


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    proc = run("run", SAMPLE, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


def records(out):
    return [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]


def test_sample_writes_every_output(sample_out):
    doc = "tongren_relocation.en"
    for name in ("segments.jsonl", f"cleaned/{doc}.txt", f"docs/{doc}.html", "index.html", "summary.json"):
        assert (sample_out / name).is_file(), name
    summary = json.loads((sample_out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["documents"] == 1 and summary["failures"] == []
    assert summary["settings"]["lang"] == "auto"


def test_records_follow_the_contract_and_edits_replay(sample_out):
    text = SAMPLE.read_text(encoding="utf-8")
    recs = records(sample_out)
    assert [r["index"] for r in recs] == list(range(len(recs)))
    for r in recs:
        assert CONTRACT <= r.keys()
        assert text[r["start"]:r["end"]] == r["original"]
        assert r["kind"] in ("body", "heading", "boilerplate")
        assert replay(r["original"], r["edits"]) == r["cleaned"]
        for e in r["edits"]:
            assert e["stage"] and e["rule"]


def test_sample_cleaned_text_is_clean(sample_out):
    cleaned = (sample_out / "cleaned" / "tongren_relocation.en.txt").read_text(encoding="utf-8")
    for bad in (" ,", " .", "pageClose", " ’s", ". .", "，", "Your current location", "Font: Small",
                "Print this page", "Previous:", "Related Information"):
        assert bad not in cleaned, bad


def test_every_number_in_body_text_survives(sample_out):
    cleaned = (sample_out / "cleaned" / "tongren_relocation.en.txt").read_text(encoding="utf-8")
    for r in records(sample_out):
        if r["kind"] != "boilerplate":
            for number in re.findall(r"\d[\d,.]*\d|\d", r["original"]):
                assert number in r["cleaned"] and number in cleaned, number


def test_runs_are_byte_identical_and_rerun_on_cleaned_makes_no_edits(sample_out, tmp_path):
    again = tmp_path / "again"
    assert run("run", SAMPLE, "--out", again, "--quiet").returncode == 0
    for name in ("segments.jsonl", "cleaned/tongren_relocation.en.txt", "summary.json", "index.html",
                 "docs/tongren_relocation.en.html"):
        assert (again / name).read_bytes() == (sample_out / name).read_bytes(), name
    rerun = tmp_path / "rerun"
    assert run("run", sample_out / "cleaned", "--out", rerun, "--quiet").returncode == 0
    assert [e for r in records(rerun) for e in r["edits"]] == []
    assert (rerun / "cleaned" / "tongren_relocation.en.txt").read_bytes() == \
        (sample_out / "cleaned" / "tongren_relocation.en.txt").read_bytes()


def test_bad_files_are_reported_and_skipped(tmp_path):
    out = tmp_path / "out"
    proc = run("run", FIXTURES / "bad", FIXTURES / "no_breaks.txt", "--out", out)
    assert proc.returncode == 1
    assert "bad/binary.txt: binary file" in proc.stderr and "bad/empty.txt: empty file" in proc.stderr
    assert "Traceback" not in proc.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {f["doc"] for f in summary["failures"]} == {"binary", "empty"}
    assert [d["doc"] for d in summary["documents"]] == ["no_breaks"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "binary file" in index and "empty file" in index
    assert (out / "cleaned" / "no_breaks.txt").is_file()


def test_output_folder_must_not_be_an_input_folder(tmp_path):
    (tmp_path / "a.txt").write_text("A sentence.", encoding="utf-8")
    for out in (tmp_path, tmp_path / "sub"):
        proc = run("run", tmp_path, "--out", out)
        assert proc.returncode == 2 and "choose another output folder" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_usage_and_settings_errors_exit_2(tmp_path):
    assert run("run").returncode == 2
    assert run("run", tmp_path / "missing.txt", "--out", tmp_path / "o").returncode == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('colour = "blue"\n', encoding="utf-8")
    proc = run("run", SAMPLE, "--out", tmp_path / "o", "--config", bad)
    assert proc.returncode == 2 and "unknown setting 'colour'" in proc.stderr and str(bad) in proc.stderr
    bad.write_text("lang = [\n", encoding="utf-8")
    assert "invalid TOML" in run("run", SAMPLE, "--out", tmp_path / "o", "--config", bad).stderr
    assert run("run", SAMPLE, "--out", tmp_path / "o", "--lang", "English").returncode == 2
    proc = run("run", SAMPLE, "--out", tmp_path / "o", "--scheduler", "tcp://127.0.0.1:8786")
    assert proc.returncode == 2 and "--scheduler needs --executor dask" in proc.stderr


def test_rerun_says_what_it_reused(tmp_path):
    out = tmp_path / "o"
    first = run("run", SAMPLE, "--out", out, "--no-report")
    assert first.returncode == 0 and "unchanged since the last run" not in first.stderr
    again = run("run", SAMPLE, "--out", out, "--no-report")
    assert again.returncode == 0 and "(1 unchanged since the last run, not redone)" in again.stderr
    forced = run("run", SAMPLE, "--out", out, "--no-report", "--no-cache")
    assert "unchanged since the last run" not in forced.stderr


def test_config_file_settings_apply(tmp_path):
    cfg = tmp_path / "s.toml"
    cfg.write_text('lang = "en"\npunctuation_skip_rules = ["space-before-punct"]\n', encoding="utf-8")
    out = tmp_path / "o"
    assert run("run", SAMPLE, "--out", out, "--config", cfg, "--quiet").returncode == 0
    assert all(e["rule"] != "space-before-punct" for r in records(out) for e in r["edits"])
    assert json.loads((out / "summary.json").read_text())["settings"]["lang"] == "en"


def test_help_on_every_subcommand():
    assert run("--help").returncode == 0
    proc = run("run", "--help")
    assert proc.returncode == 0 and "--out" in proc.stdout and "Exit status" in " ".join(proc.stdout.split())
    assert "--glossary" in proc.stdout
    for command in (["glossary", "--help"], ["glossary", "check", "--help"], ["glossary", "convert", "--help"],
                    ["bench", "--help"]):
        assert run(*command).returncode == 0
    # the fitting scripts, by their first word ("fit --help" failed before they had one)
    for command, option in ((["fit", "--help"], "--docs"), (["fit", "garble", "--help"], "--docs"),
                            (["fit", "lines", "--help"], "--extraction-dev")):
        proc = run(*command)
        assert proc.returncode == 0 and option in proc.stdout, command


def test_inputs_are_never_modified(tmp_path):
    before = {p: p.read_bytes() for p in FIXTURES.rglob("*") if p.is_file()}
    run("run", FIXTURES, "--out", tmp_path / "o", "--quiet")
    assert {p: p.read_bytes() for p in FIXTURES.rglob("*") if p.is_file()} == before


def test_report_escapes_document_text(tmp_path):
    evil = tmp_path / "in" / "evil.txt"
    evil.parent.mkdir()
    evil.write_text('Hello <script>alert(1)</script> and <img src=x onerror=alert(2)> and {{ 7*7 }} here.\n',
                    encoding="utf-8")
    out = tmp_path / "out"
    assert run("run", evil.parent, "--out", out, "--quiet").returncode == 0
    page = (out / "docs" / "evil.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "{{ 7*7 }}" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_duplicate_document_names_get_unique_ids(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "news.txt").write_text(f"Story from folder {folder}.", encoding="utf-8")
    out = tmp_path / "out"
    assert run("run", tmp_path / "in", "--out", out, "--quiet").returncode == 0
    assert sorted(p.name for p in (out / "cleaned").iterdir()) == ["news-2.txt", "news.txt"]


def test_evaluate_command(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Home » News » Local\n\nThe county built a new school for the children. "
                                "The county finished 易地扶贫搬迁 work in 2019.\n", encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    rows = [{"doc": "a", "sentence": "Home » News » Local", "label": "boilerplate", "kind": "mt"},
            {"doc": "a", "sentence": "The county built a new school for the children.", "label": "ok", "kind": "pro"},
            {"doc": "a", "sentence": "The county finished 易地扶贫搬迁 work in 2019.", "label": "garbled", "kind": "mt"}]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    proc = run("evaluate", labels, "--docs", docs)
    assert proc.returncode == 0, proc.stderr
    assert "| precision (garbled) | 1.000 (1/1) |" in proc.stdout and "| boilerplate recall | 100.0% |" in proc.stdout
    proc = run("evaluate", labels, "--docs", docs, "--format", "json")  # the same, for machines
    data = json.loads(proc.stdout)
    assert proc.returncode == 0 and data["metrics"]["tp"] == 1 and data["metrics"]["precision"] == 1.0
    assert set(data["by_kind"]) == {"mt", "pro"} and "Missed (garbled, not flagged)" in data["lists"]
    labels.write_text('{"doc": "a", "sentence": "x", "label": "maybe"}\n', encoding="utf-8")
    bad = run("evaluate", labels, "--docs", docs)
    assert bad.returncode == 2 and "label must be one of" in bad.stderr and "Traceback" not in bad.stderr


def test_baseline_and_fail_on(tmp_path):
    out = tmp_path / "o"
    assert run("run", SAMPLE, "--out", out, "--quiet").returncode == 0
    same = run("run", SAMPLE, "--out", out, "--baseline", out, "--fail-on", "warning")
    assert same.returncode == 0 and "0 new flags, 0 fixed" in same.stderr
    more = run("run", SAMPLE, FIXTURES / "terms_mt.txt", "--out", out, "--baseline", out, "--fail-on", "warning")
    assert more.returncode == 3 and "new warning" in more.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["baseline"]["new"] > 0 and summary["baseline"]["fixed"] == 0
    assert "Compared with the baseline run" in (out / "index.html").read_text(encoding="utf-8")
    assert run("run", SAMPLE, "--out", tmp_path / "p", "--fail-on", "error").returncode == 2  # needs --baseline
    assert run("run", SAMPLE, "--out", tmp_path / "p", "--baseline", tmp_path / "nowhere").returncode == 2


def test_bad_decisions_file(tmp_path):
    bad = tmp_path / "d.json"
    bad.write_text('{"decisions": [{"segment": "abc", "action": "reject-edit"}]}', encoding="utf-8")
    proc = run("run", SAMPLE, "--out", tmp_path / "o", "--decisions", bad)
    assert proc.returncode == 2 and "decision 1: a rejected edit needs its 'rule'" in proc.stderr


def test_jobs_give_identical_output_in_input_order(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert run("run", FIXTURES, "--out", one, "--quiet").returncode == 1  # fixtures/bad fails, by design
    assert run("run", FIXTURES, "--out", two, "--quiet", "--jobs", "2").returncode == 1
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for rel in files:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


def test_jobs_must_be_at_least_one_and_counts_read_as_english(tmp_path):
    for bad in ("0", "-2", "two"):
        proc = run("run", FIXTURES / "no_breaks.txt", "--out", tmp_path / "o", "--jobs", bad)
        assert proc.returncode == 2 and "--jobs" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("run", FIXTURES / "no_breaks.txt", "--out", tmp_path / "one", "--no-report")
    assert proc.returncode == 0 and "1 document processed" in proc.stderr
    proc = run("run", FIXTURES / "no_breaks.txt", FIXTURES / "punctuation_mt.txt", "--out", tmp_path / "two",
               "--no-report")
    assert "2 documents processed" in proc.stderr


def run_with_input(*args, stdin: bytes, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, input=stdin,
                          capture_output=True, timeout=300)


def test_standard_input_in_and_segments_out(tmp_path):
    text = "Tongren City relocated 293,300 people.It was hard work,the villagers said.\n".encode()
    proc = run_with_input("run", "-", "--out", "-", stdin=text, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode("utf-8").splitlines()
    got = [json.loads(line) for line in lines]
    assert got and {r["doc"] for r in got} == {"stdin"} and CONTRACT <= set(got[0])
    assert "work, the villagers" in " ".join(r["cleaned"] for r in got)
    assert b"processed" in proc.stderr and list(tmp_path.iterdir()) == []  # no folder left behind
    jsonl = b'{"id": "a", "text": "The county built a school."}\n{"id": "b", "text": "It opened in 2019 ."}\n'
    proc = run_with_input("run", "-", "--out", "-", "--quiet", stdin=jsonl, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr == b""
    assert [json.loads(line)["doc"] for line in proc.stdout.decode().splitlines()] == ["a", "b"]
    # standard input into a folder, beside a file
    out = tmp_path / "o"
    proc = run_with_input("run", "-", SAMPLE, "--out", out, "--quiet", stdin=text)
    assert proc.returncode == 0 and {r["doc"] for r in records(out)} == {"stdin", "tongren_relocation.en"}
    bad = run_with_input("run", "-", "--out", "-", "--export", "xliff", stdin=text)
    assert bad.returncode == 2 and b"--out - writes segments.jsonl only" in bad.stderr


def test_a_settings_file_in_the_working_folder_is_read_and_named(tmp_path):
    out = tmp_path / "o"
    (tmp_path / "pipeline.toml").write_text('skip_checks = ["calque"]\n', encoding="utf-8")
    proc = run("run", SAMPLE, "--out", out, cwd=tmp_path)
    assert proc.returncode == 0 and "settings: read pipeline.toml" in proc.stderr
    assert not any(f["code"] == "calque" for r in records(out) for f in r["flags"])
    proc = run("run", SAMPLE, "--out", out, "--no-config", cwd=tmp_path)
    assert proc.returncode == 0 and "settings:" not in proc.stderr
    assert any(f["code"] == "calque" for r in records(out) for f in r["flags"])
    other = tmp_path / "other.toml"
    other.write_text('lang = "en"\n', encoding="utf-8")
    proc = run("run", SAMPLE, "--out", out, "--config", other, cwd=tmp_path)  # --config wins
    assert proc.returncode == 0 and "settings: read" not in proc.stderr
    assert any(f["code"] == "calque" for r in records(out) for f in r["flags"])
    (tmp_path / "pipeline.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert "settings:" not in run("run", SAMPLE, "--out", out, cwd=tmp_path).stderr  # no [tool.pipeline]
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.pipeline]\nskip_checks = ["calque"]\n'
                                             'colour = "blue"\n', encoding="utf-8")
    proc = run("run", SAMPLE, "--out", out, cwd=tmp_path)
    assert proc.returncode == 2 and "pyproject.toml [tool.pipeline]: unknown setting 'colour'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_machine_readable_output(tmp_path):
    proc = run("glossary", "check", ROOT / "glossaries" / "poverty-alleviation.zh-en.yaml", "--format", "json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 0 and data["valid"] and data["files"][0]["entries"] > 10
    broken = tmp_path / "g.tsv"
    broken.write_text("id\tsource:zh\ten\nsame\t甲\tA\nsame\t乙\tB\n", encoding="utf-8")
    proc = run("glossary", "check", broken, "--format", "json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 2 and not data["valid"] and data["errors"]
    out = tmp_path / "o"
    assert run("run", SAMPLE, "--out", out, "--quiet").returncode == 0
    proc = run("run", SAMPLE, FIXTURES / "terms_mt.txt", "--out", out, "--baseline", out, "--format", "json",
               "--quiet")
    data = json.loads(proc.stdout)
    assert proc.returncode == 0 and data["totals"]["documents"] == 2 and data["baseline"]["new"] > 0
    assert run("run", SAMPLE, "--out", "-", "--format", "json").returncode == 2


def test_progress_counts_bytes_and_says_so_in_a_log(tmp_path):
    """Not on a terminal (a CI log), a line every few seconds says how far the run is, in
    bytes of input, so a long file is seen to be worked on (issue 31)."""
    import io
    import time

    from pipeline.run.terminal import RunProgress

    log = io.StringIO()
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("a" * 100, encoding="utf-8")
    large.write_text("b" * 20_000, encoding="utf-8")
    shown = RunProgress(quiet=False, stream=log, every=0.05)
    shown.started([small, large])
    shown.file_done(small)
    time.sleep(0.2)
    shown.close()
    lines = log.getvalue().splitlines()
    assert lines and lines[-1].startswith("progress: 100 bytes of 20.1 KB done (1 of 2 files)")
    quiet = io.StringIO()
    hushed = RunProgress(quiet=True, stream=quiet, every=0.05)
    hushed.started([small])
    time.sleep(0.15)
    hushed.close()
    assert quiet.getvalue() == ""


def test_every_error_of_the_package_carries_its_exit_code():
    """One base (`errors.PipelineError`) for the errors a user can act on, so the command
    line catches one thing: every exception class the package defines derives from it."""
    import importlib
    import inspect
    import pkgutil

    import pipeline
    from pipeline.errors import PipelineError

    defined = []
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        defined += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                    if issubclass(cls, Exception) and cls.__module__ == info.name]
    assert len(defined) >= 8
    assert [cls.__qualname__ for cls in defined if not issubclass(cls, PipelineError)] == []
    assert all(isinstance(cls.exit_code, int) for cls in defined)


def test_an_error_a_command_does_not_word_itself_ends_it_with_its_code(monkeypatch, capsys):
    from pipeline import cli
    from pipeline.formats.read import ReadError

    def fails(args):
        raise ReadError("notes.txt: not a document\nand a second line")

    monkeypatch.setattr(cli, "_review", fails)
    assert cli.main(["review", "somewhere"]) == 1  # a document that cannot be read fails alone: 1, not 2
    assert capsys.readouterr().err == "error: notes.txt: not a document\nerror: and a second line\n"
