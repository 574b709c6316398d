"""Two libraries imported without what their packages load on import and the pipeline
never uses: together 1.2 s of a 2.2 s one-document run (measured with `-X importtime`).

- `moses_punct_normalizer()`: sacremoses' `MosesPunctNormalizer`, from the package's
  `normalize.py` alone. The package's `__init__` also imports its tokenizer (hundreds of
  regular expressions compiled at class definition), truecaser, joblib and numpy: 0.3 s.
  `normalize.py` needs only `re`, `regex` and `itertools`; it is registered under its own
  name, so a later `import sacremoses` uses the same module.
- `lemminflect()`: lemminflect, imported while a finder tells Python that spaCy is absent.
  Its `__init__` imports spaCy whenever spaCy is installed (the `grammar` and `test`
  extras) to add Token extensions the pipeline never uses: 0.9 s with the parser off. A
  spaCy imported before (the parser on) is left as it is and gets its extensions as usual;
  spaCy imports normally afterwards. The one gap: a thread importing spaCy for the first
  time in the very moment another imports lemminflect for the first time would be told it
  is missing; the garble stage imports spaCy when it is built, before any document.

`tests/test_lean_imports.py` holds each against the plain import.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from pathlib import Path


def moses_punct_normalizer() -> type:
    """sacremoses.MosesPunctNormalizer, without the rest of the package."""
    loaded = sys.modules.get("sacremoses.normalize")
    if loaded is None:
        package = importlib.util.find_spec("sacremoses")  # found, not imported
        if package is None or not package.submodule_search_locations:
            raise ImportError("sacremoses is not installed (pip install sacremoses)")
        path = Path(package.submodule_search_locations[0]) / "normalize.py"
        spec = importlib.util.spec_from_file_location("sacremoses.normalize", path)
        loaded = importlib.util.module_from_spec(spec)
        sys.modules["sacremoses.normalize"] = loaded
        try:
            spec.loader.exec_module(loaded)
        except BaseException:
            del sys.modules["sacremoses.normalize"]
            raise
    return loaded.MosesPunctNormalizer


class _SpacyHidden(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "spacy" or name.startswith("spacy."):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden while lemminflect is imported)",
                                      name=name)
        return None


def lemminflect():
    """The lemminflect module, imported on first use without its spaCy hook."""
    module = sys.modules.get("lemminflect")
    if module is not None:
        return module
    finder = _SpacyHidden()
    sys.meta_path.insert(0, finder)
    try:
        import lemminflect as module
    finally:
        sys.meta_path.remove(finder)
    return module
