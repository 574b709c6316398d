"""The formats are declared once (`pipeline.formats.FORMATS`): each names a module that reads
it, and writes it back where the format is one --export writes; a batch loads only the
modules of the formats it holds."""

import importlib
import subprocess
import sys

from pipeline.config import EXPORT_FORMATS
from pipeline.formats import FORMATS, SUFFIXES, WRITTEN
from pipeline.formats.read import discover


def test_each_format_s_module_reads_it_and_writes_it_when_exported():
    for fmt in FORMATS:
        module = importlib.import_module(f"pipeline.formats.{fmt.module}")
        assert callable(module.read), fmt.name
        for writer in ("write_back", "new"):
            assert callable(getattr(module, writer, None)) == (fmt.export_suffix is not None), fmt.name


def test_suffixes_and_exports_agree_with_the_settings():
    assert {fmt.name for fmt in WRITTEN} == set(EXPORT_FORMATS)
    assert len(SUFFIXES) == sum(len(fmt.suffixes) for fmt in FORMATS)  # no suffix claimed twice
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in SUFFIXES)


def test_discovery_finds_every_declared_suffix(tmp_path):
    for n, suffix in enumerate(SUFFIXES):
        (tmp_path / f"f{n}{suffix}").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    assert sorted(p.suffix for p in discover([tmp_path]).files) == sorted(SUFFIXES)


def test_reading_a_text_file_loads_no_other_format(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("The county built new roads this year.\n", encoding="utf-8")
    code = ("import sys\nfrom pathlib import Path\nfrom pipeline.formats.read import read_file\n"
            f"docs = list(read_file(Path({str(page)!r}), 'a'))\n"
            "print(sorted(m for m in sys.modules if m.startswith(('pipeline.formats.', 'lxml', 'polib'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for unwanted in ("pipeline.formats.html", "pipeline.formats.xliff", "pipeline.formats.po", "'lxml", "polib"):
        assert unwanted not in loaded, loaded
    assert "pipeline.formats.plain" in loaded
