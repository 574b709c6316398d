"""Runs that overlap, die or cannot write: the output folder stays honest."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.config import SettingsError
from pipeline.run.outfolder import INCOMPLETE, OutputFolder

from .conftest import ROOT


def _cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT,
                          **kwargs)


def _batch(folder, n=3):
    folder.mkdir()
    for i in range(n):
        (folder / f"d{i}.txt").write_text(f"The county built {i + 2} roads in {2000 + i}.\n", encoding="utf-8")
    return folder


def test_an_out_that_is_a_file_is_a_usage_error(tmp_path):
    pages = _batch(tmp_path / "in")
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    run = _cli("run", str(pages), "--out", str(target))
    assert run.returncode == 2 and "is a file, not a folder" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_out_is_a_usage_error(tmp_path):
    pages = _batch(tmp_path / "in")
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        run = _cli("run", str(pages), "--out", str(locked / "out"))
    finally:
        locked.chmod(0o755)
    assert run.returncode == 2 and "cannot write to the output folder" in run.stderr


def test_a_second_run_into_a_folder_in_use_stops_at_once(tmp_path):
    pages = _batch(tmp_path / "in")
    out = tmp_path / "out"
    with OutputFolder.claim(out):  # this process holds the folder, as a running batch would
        run = _cli("run", str(pages), "--out", str(out))
        with pytest.raises(SettingsError, match="another run"):
            OutputFolder.claim(out)
    assert run.returncode == 2 and f"another run (process {os.getpid()})" in run.stderr
    assert _cli("run", str(pages), "--out", str(out)).returncode == 0  # released: the next run goes ahead
    assert not (out / INCOMPLETE).exists()


def test_what_a_killed_run_left_is_removed_by_the_next(tmp_path):
    pages = _batch(tmp_path / "in")
    out = tmp_path / "out"
    assert _cli("run", str(pages), "--out", str(out)).returncode == 0
    leftovers = [out / ".segments.jsonl.999-0.tmp", out / ".documents.999.jsonl.tmp", out / "cleaned" / ".d0.txt.x1.tmp",
                 out / ".cache" / "manifest.999.tmp", out / ".index.html.999-3.tmp", out / "chrome" / ".d0.html.9-1.tmp"]
    for path in leftovers:
        path.write_text("half written", encoding="utf-8")
    (out / INCOMPLETE).write_text("a run died", encoding="utf-8")
    assert _cli("run", str(pages), "--out", str(out)).returncode == 0
    assert not any(p.exists() for p in leftovers) and not (out / INCOMPLETE).exists()


def test_a_run_killed_half_way_leaves_the_folder_marked_and_the_next_run_mends_it(tmp_path):
    pages = _batch(tmp_path / "in", n=400)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(pages), "--out", str(out), "--quiet"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((out / "cleaned").glob("*.txt"))[:20][19:]:
        time.sleep(0.05)  # until some documents are written
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (out / INCOMPLETE).exists() or (out / "summary.json").exists()
    if (out / INCOMPLETE).exists():  # the index says so, and links the pages that are there
        index = (out / "index.html").read_text(encoding="utf-8")
        assert "this folder is incomplete" in index and "Content-Security-Policy" in index
        linked = re.findall(r'href="docs/([^"]+)\.html"', index)
        assert all((out / "docs" / f"{name}.html").exists() for name in linked)
    assert _cli("run", str(pages), "--out", str(out), "--quiet").returncode == 0
    assert not (out / INCOMPLETE).exists() and not list(out.rglob("*.tmp"))
    assert len(list((out / "cleaned").glob("*.txt"))) == 400
    assert sum(1 for _ in (out / "segments.jsonl").open(encoding="utf-8")) == 400


def test_a_re_run_killed_half_way_leaves_an_index_that_says_so(tmp_path):
    pages = _batch(tmp_path / "in", n=300)
    out = tmp_path / "out"
    assert _cli("run", str(pages), "--out", str(out), "--quiet").returncode == 0
    old_index = (out / "index.html").read_text(encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(pages), "--out", str(out), "--quiet",
                             "--no-cache"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (out / "index.html").read_text(encoding="utf-8") == old_index:
        time.sleep(0.02)  # until the run has marked the index
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (out / INCOMPLETE).exists() and "this folder is incomplete" in index
    assert len(re.findall(r'href="docs/d\d+\.html"', index)) == 300  # the pages there, old or new
    assert _cli("run", str(pages), "--out", str(out), "--quiet").returncode == 0
    assert "incomplete" not in (out / "index.html").read_text(encoding="utf-8")


def test_ctrl_c_says_interrupted_and_exits_130(tmp_path):
    pages = _batch(tmp_path / "in", n=400)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(pages), "--out", str(out), "--quiet"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((out / "cleaned").glob("*.txt")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal")
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert not list(out.glob(".*.tmp"))


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find a process's children")
def test_workers_end_with_a_killed_run(tmp_path):
    pages = _batch(tmp_path / "in", n=600)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(pages), "--out", str(out), "--quiet",
                             "--jobs", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the run finished before its workers were seen")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "workers outlived the run"


@contextlib.contextmanager
def _small_disk(path, size="300k"):
    """A tmpfs of `size` at `path`, or a skip where this machine cannot mount one (not root,
    no mount namespace rights)."""
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, text=True) if os.geteuid() == 0 else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


def test_a_full_disk_stops_the_run_with_one_line_and_exit_1(tmp_path):
    pages = tmp_path / "in"
    pages.mkdir()
    article = (ROOT / "fixtures" / "tongren_relocation.en.txt").read_text(encoding="utf-8")
    for i in range(40):  # some 3 MB of outputs for a 300 kB disk
        (pages / f"d{i}.txt").write_text(article, encoding="utf-8")
    with _small_disk(tmp_path / "small") as disk:
        out = disk / "out"
        run = _cli("run", str(pages), "--out", str(out), "--quiet")
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert run.stderr.strip().count("\n") == 0 and "No space left on device" in run.stderr
        assert (out / INCOMPLETE).exists() and not list(out.rglob("*.tmp"))
        assert not (out / "summary.json").exists()  # no summary of a run that did not finish
    # the same batch into a folder with room: the run goes through
    assert _cli("run", str(pages), "--out", str(tmp_path / "roomy"), "--quiet").returncode == 0
