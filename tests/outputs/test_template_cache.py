"""The review pages' templates, compiled once, are kept in the cache folder; a folder that
cannot be written only means they are compiled each run."""

import os
import subprocess
import sys

from ..conftest import ROOT

_RENDER = """
from pipeline.outputs import report
from pipeline.document import Document
page = report.render_document(Document("d", "d.txt", "txt", "One line."))
print(type(report._env.bytecode_cache).__name__, len(page) > 100)
"""


def _render(env):
    done = subprocess.run([sys.executable, "-c", _RENDER], cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_compiled_templates_are_kept_and_an_unwritable_folder_is_no_cache(tmp_path):
    folder = tmp_path / "cache"
    env = {**os.environ, "PIPELINE_CACHE_DIR": str(folder)}
    assert _render(env) == ["_TemplateCache", "True"]
    kept = sorted(p.name for p in (folder / "templates").iterdir())
    assert kept and all(name.endswith(".cache") for name in kept)
    assert _render(env) == ["_TemplateCache", "True"] and sorted(p.name for p in (folder / "templates").iterdir()) == kept
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert _render({**os.environ, "PIPELINE_CACHE_DIR": str(blocker / "below")}) == ["NoneType", "True"]
    assert _render({**os.environ, "PIPELINE_CACHE_DIR": ""}) == ["NoneType", "True"]
