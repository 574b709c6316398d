from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.stages import build_stages, run_stages

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SAMPLE = FIXTURES / "tongren_relocation.en.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def stages():
    """Default stages, built once: loading langdetect's profiles takes a moment."""
    return build_stages(Settings())


@pytest.fixture(scope="session")
def process(stages):
    def run(text: str, doc_id: str = "t", **kwargs) -> Document:
        return run_stages(Document(doc_id, f"{doc_id}.txt", "txt", text, **kwargs), stages)
    return run
