"""Gettext PO files in and out: msgid as source, msgstr as target, flags as translator
comments, `#, fuzzy` on garbled entries, and nothing else of the file changed."""

import json

import polib
import pytest
from translate.storage import pypo

from pipeline.run.batch import QUIET, run_batch
from pipeline.formats.bilingual import BilingualError
from pipeline.formats.po import read_po
from pipeline.config import Settings
from pipeline.formats.po import PO_COMMENT

from ..conftest import FIXTURES

PO_FILES = sorted((FIXTURES / "bilingual").glob("*.po"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("po")
    inputs = [str(p) for p in PO_FILES] + [str(FIXTURES / "bilingual" / "pairs.zh-en.tsv"), str(FIXTURES / "news_page.html")]
    run_batch(inputs, out, Settings(export=("po", "xliff")), progress=QUIET, reports=False)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, records


def _by_doc(records, doc):
    return {r["unit"]: r for r in records if r["doc"] == doc}


def test_units_are_msgstrs_with_their_msgid_as_source():
    units, source_lang, target_lang = read_po(PO_FILES[1], PO_FILES[1].read_bytes())  # sites.en-fr.po
    assert (source_lang, target_lang) == (None, "fr")
    assert [(u.id, u.source[:14], u.target[:14]) for u in units] == [
        ("1.0", "%d resettlemen", "%d site de réi"), ("1.1", "%d resettlemen", "%d sites de ré"),
        ("2", "Write to press", "Écrivez à pres"), ("3", "Download the r", "Télécharger le")]
    units, source_lang, target_lang = read_po(PO_FILES[0], PO_FILES[0].read_bytes())  # notice.zh-en.po
    assert (source_lang, target_lang) == ("zh", "en") and len(units) == 6  # the obsolete entry is no unit
    assert units[-1].target == ""  # untranslated: a unit still


def test_a_written_back_file_changes_only_edited_strings_comments_and_fuzzy(exported):
    out, records = exported
    for path in PO_FILES:
        before = path.read_text(encoding="utf-8").splitlines()
        after = (out / "export" / path.name).read_text(encoding="utf-8").splitlines()
        added = [line for line in after if line not in before]
        assert all(line.startswith((PO_COMMENT, "#, fuzzy", "msgstr", '"')) for line in added), added
        removed = [line for line in before if line not in after]
        assert all(line.startswith(("msgstr", '"')) for line in removed), removed
        old, new = polib.pofile(str(path)), polib.pofile(str(out / "export" / path.name))
        assert old.metadata == new.metadata and len(old) == len(new)
        mine = _by_doc(records, path.stem)
        for n, (a, b) in enumerate(zip([e for e in old if not e.obsolete], [e for e in new if not e.obsolete]), 1):
            assert (a.msgid, a.msgctxt, a.msgid_plural, a.occurrences, a.comment) == \
                   (b.msgid, b.msgctxt, b.msgid_plural, b.occurrences, b.comment)
            forms = {None: b.msgstr} if not b.msgid_plural else b.msgstr_plural
            for form, text in forms.items():
                record = mine[str(n) if form is None else f"{n}.{form}"]
                assert " ".join(text.split()) == record["cleaned"]
            flagged = [r for uid, r in mine.items() if uid.split(".")[0] == str(n)]
            ours = [line for line in b.tcomment.splitlines() if line.startswith("pipeline: ")]
            # a comment for each flag and one with the verdict of each garbled segment
            assert len(ours) == sum(len(r["flags"]) + bool(r["garbled"]) for r in flagged)
            assert sum(line.startswith("pipeline: warning garbled: score ") for line in ours) == \
                   sum(bool(r["garbled"]) for r in flagged)
            assert ("fuzzy" in b.flags) == (any(r["garbled"] for r in flagged) or "fuzzy" in a.flags)
            assert [line for line in b.tcomment.splitlines() if not line.startswith("pipeline: ")] == \
                   a.tcomment.splitlines()
        assert [e.msgid for e in old if e.obsolete] == [e.msgid for e in new if e.obsolete]


def test_an_entry_unchanged_by_the_run_is_byte_for_byte_the_same(exported):
    out, _ = exported
    before = (FIXTURES / "bilingual" / "notice.zh-en.po").read_text(encoding="utf-8")
    after = (out / "export" / "notice.zh-en.po").read_text(encoding="utf-8")
    header = before[:before.index("#. The page title.")]
    assert after.startswith(header)  # the header as it was, its key order and wrapping kept
    assert after.endswith('#~ msgid "旧的条目"\n#~ msgstr "An old entry"\n')


def test_translate_toolkit_reads_every_po_export(exported):
    out, _ = exported
    for path in sorted((out / "export").glob("*.po")):
        store = pypo.pofile.parsefile(str(path))
        units = [u for u in store.units if not u.isheader() and not u.isobsolete()]
        assert units, path
        assert all(u.source for u in units)


def test_other_inputs_become_a_new_po_file(exported):
    out, records = exported
    po = polib.pofile(str(out / "export" / "pairs.zh-en.po"))
    mine = _by_doc(records, "pairs.zh-en")
    assert po.metadata["Language"] == "en" and po.metadata["X-Source-Language"] == "zh"
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in po] == [(u, r["source"], r["cleaned"]) for u, r in mine.items()]
    page = polib.pofile(str(out / "export" / "news_page.po"))
    assert page and all(e.msgctxt and e.msgid for e in page)


def test_a_second_export_replaces_the_first_ones_comments(exported, tmp_path):
    out, _ = exported
    again = tmp_path / "again"
    run_batch([str(out / "export" / "notice.zh-en.po")], again, Settings(export=("po",)), progress=QUIET,
              reports=False)
    first = (out / "export" / "notice.zh-en.po").read_text(encoding="utf-8")
    second = (again / "export" / "notice.zh-en.po").read_text(encoding="utf-8")
    assert first.count(PO_COMMENT) >= second.count(PO_COMMENT) > 0
    assert second.count("#, fuzzy") == first.count("#, fuzzy")


@pytest.mark.parametrize("text, says", [
    ("This is a letter, not a catalogue.\n", "not a PO file"),
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\nmsgid "x"\nmsgstr "\xe9"\n', None),
])
def test_a_broken_po_file_fails_alone(tmp_path, text, says):
    path = tmp_path / "bad.po"
    path.write_bytes(text.encode("latin-1") if says is None else text.encode("utf-8"))
    if says is None:  # Latin-1 as its header says: read
        units, _, _ = read_po(path, path.read_bytes())
        assert units[0].target == "é"
    else:
        with pytest.raises(BilingualError, match=says):
            read_po(path, path.read_bytes())
