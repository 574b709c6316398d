"""The package's folders are layers, and imports only go down them: every import of every
module is read, those inside functions included (a lazy import is still a dependency)."""

import ast
from pathlib import Path

import pipeline

PACKAGE = Path(pipeline.__file__).parent

# Top to bottom. A module may import its own layer and the layers below it, never one above.
LAYERS = [
    {"__main__", "cli"},
    {"bench"},
    {"evaluation"},
    {"review"},
    {"run"},
    {"outputs"},
    {"stages"},
    {"checks"},
    {"glossary"},
    {"formats"},
    {"language"},
    {"text"},
    {"decisions"},
    {"document", "config", "errors", "__init__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _module(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _layer(parts: list[str]) -> str:
    return parts[1] if len(parts) > 1 else "__init__"


def _is_module(parts: list[str]) -> bool:
    folder = PACKAGE.joinpath(*parts)
    return folder.with_suffix(".py").exists() or (folder / "__init__.py").exists()


def imports_of(path: Path) -> list[tuple[list[str], int]]:
    """The project modules (as name parts) that `path` imports, with the line of each."""
    me = _module(path)
    package = me if path.name == "__init__.py" else me[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = (node.module or "").split(".")
            if target[0] == "pipeline":
                # "from . import fit": the module imported is the name; "from . import __version__" the package
                found += [(target + [a.name] if _is_module(target[1:] + [a.name]) else target, node.lineno)
                          for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name.split("."), node.lineno) for a in node.names if a.name.split(".")[0] == "pipeline"]
    return found


def test_the_top_level_holds_only_the_entry_points_the_model_and_the_layers():
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert modules == {"__init__", "__main__", "cli", "config", "document", "errors"}
    assert folders == {name for names in LAYERS for name in names} - modules


def test_imports_only_go_down():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        mine = _layer(_module(path))
        for target, line in imports_of(path):
            theirs = _layer(target)
            if RANK[theirs] < RANK[mine]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {'.'.join(target)} ({theirs} is above {mine})")
    assert not upward, "\n".join(upward)


def test_the_import_reader_sees_imports_inside_functions(tmp_path):
    """The test above is only as good as its reader: a lazy relative import counts."""
    sample = PACKAGE / "text" / "edits.py"
    lazy = [t for t, _ in imports_of(sample)]
    assert all(t[0] == "pipeline" for t in lazy)
    cli = [".".join(t) for t, _ in imports_of(PACKAGE / "cli.py")]
    assert "pipeline.run.batch" in cli  # imported inside a function, to keep --help fast


def _module_graph() -> dict[str, set[str]]:
    """Each module and the project modules it imports ("from .fit import fit" is the module
    `fit`; "from ..stages import build_stages" the package `stages`)."""
    modules = {".".join(_module(p)): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for target, _ in imports_of(path):
            while ".".join(target) not in modules:
                target = target[:-1]
            targets.add(".".join(target))
        graph[name] = targets - {name}
    return graph


def test_no_module_imports_itself_through_others():
    """Inside a layer too: two modules that need each other are one module, or a third
    below both."""
    graph = _module_graph()
    circles = []
    for start in sorted(graph):
        # depth-first from each module, looking for a way back to it
        seen, stack = set(), [(start, [start])]
        while stack:
            node, route = stack.pop()
            for nxt in sorted(graph[node]):
                if nxt == start:
                    circles.append(" -> ".join(route + [start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, route + [nxt]))
            if circles and circles[-1].startswith(start + " "):
                break
    assert not circles, "\n".join(circles)
