from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.stages import build_stages, run_stages

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SAMPLE = FIXTURES / "tongren_relocation.en.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def private_glossary_cache(tmp_path_factory):
    """Compiled glossaries go to a folder of the test session's own (and so do those of
    the runs the tests start as processes), never to the user's cache."""
    folder = tmp_path_factory.mktemp("glossary-cache")
    was = os.environ.get("PIPELINE_CACHE_DIR")
    os.environ["PIPELINE_CACHE_DIR"] = str(folder)
    yield folder
    if was is None:
        del os.environ["PIPELINE_CACHE_DIR"]
    else:
        os.environ["PIPELINE_CACHE_DIR"] = was


@pytest.fixture(scope="session")
def stages():
    """Default stages without the parser, built once: loading langdetect's profiles takes
    a moment. The parser's path has its own tests (test_parse.py); the checks' unit tests
    and the regression expectations are the word-class path, the same with or without
    the model installed."""
    return build_stages(Settings(parser="none"))


@pytest.fixture(scope="session")
def process(stages):
    def run(text: str, doc_id: str = "t", **kwargs) -> Document:
        return run_stages(Document(doc_id, f"{doc_id}.txt", "txt", text, **kwargs), stages)
    return run
