"""The layout the code promises: stages are callables on a shared document that do not
import each other (what two stages share lives in a module below them)."""

import ast
from pathlib import Path

import pipeline.stages

STAGES_DIR = Path(pipeline.stages.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from .x import y / from . import x
                found |= {node.module} if node.module else {a.name for a in node.names}
            elif node.module and node.module.startswith("pipeline.stages."):
                found.add(node.module.split(".")[2])
    return found


def test_no_stage_imports_another():
    stages = {p.stem for p in STAGES_DIR.glob("*.py") if p.stem != "__init__"}
    for path in sorted(STAGES_DIR.glob("*.py")):
        if path.stem == "__init__":
            continue  # the one place that lists them in order
        assert not (_imported_modules(path) & stages), f"{path.name} imports a stage"


def test_every_stage_in_the_order_is_a_module_with_a_docstring_of_what_it_reads_and_writes():
    for stage in pipeline.stages.STAGES:
        doc = ast.get_docstring(ast.parse(Path(__import__(stage.__module__, fromlist=["x"]).__file__).read_text()))
        assert doc and "Reads" in doc and "Writes" in doc, stage.__module__


def test_the_readme_commands_make_their_own_environment_and_ci_runs_the_test_one():
    """Debian's Python refuses `pip install` outside a virtual environment: the README's
    two commands make one, and `.ci/run` runs the test command exactly as written."""
    root = Path(__file__).resolve().parents[1]
    commands = [line.strip() for line in (root / "README.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("    python3 -m venv")]
    assert len(commands) == 2 and all(". .venv/bin/activate && pip install -e " in c for c in commands)
    assert "python -m pipeline run fixtures/" in commands[0] and commands[1].endswith("python -m pytest -q")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == commands[1]
