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
