"""Term candidates: recurring multi-word noun phrases, renderings of one concept grouped,
written as glossary entries; on texts written for these tests."""

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.glossary import load_glossaries, write_glossary
from pipeline.glossary.candidates import as_glossary, coverage, key_of, mine, phrases
from pipeline.glossary.model import Entry, Rendering

from ..conftest import ROOT

# A small batch in the manner of machine-translated policy news: one concept rendered three
# ways, a term in both numbers, a name, everyday phrases and verb phrases that are no terms.
BATCH = [
    ("a", "The county carried out targeted poverty alleviation in every village."),
    ("a", "Targeted poverty alleviation is the core of the work in recent years."),
    ("b", "Precise poverty alleviation helped the relocated households."),
    ("b", "Precise poverty alleviation and rural revitalization go together."),
    ("c", "Precision poverty alleviation was praised by the Tongren City government."),
    ("c", "The resettlement sites were finished in 2019, and each resettlement site has a clinic."),
    ("d", "Officials visited the resettlement site on Monday, in recent years a habit."),
    ("d", "The Tongren City Party Committee met; targeted poverty alleviation was the topic."),
    ("e", "Rural revitalization follows; the Tongren City office said rural revitalization matters."),
    ("e", "They will carry out the plan, carry out the checks and carry out the review."),
]


def test_a_phrase_starts_and_ends_with_content_words_and_ends_with_a_noun():
    found = {key for key, _text in phrases("The county carried out targeted poverty alleviation in every village.")}
    assert "targeted poverty alleviation" in found and "poverty alleviation" in found
    assert not any(k.startswith(("the ", "carried", "out ")) or k.endswith((" in", " every")) for k in found)
    inside = {key for key, _ in phrases("They praised the prevention and control of epidemics.")}
    assert "prevention and control of epidemics" in inside  # "and", "of" inside a term
    assert not {k for k, _ in phrases("In recent years, 2,000 people moved.")}  # everyday words, a number


def test_a_name_is_kept_though_its_words_are_everyday():
    assert ("party committee", "Party Committee") in set(phrases("Yesterday the Party Committee met."))
    assert not [k for k, _ in phrases("The party committee met.") if k == "party committee"]


def test_renderings_of_one_concept_are_grouped_and_numbers_are_one_rendering():
    groups = mine(BATCH, min_count=2)
    by_first = {g.renderings[0].key: g for g in groups}
    poverty = next(g for g in groups if g.head == "alleviation" and len(g.renderings) > 1)
    assert {r.text.lower() for r in poverty.renderings} == {"targeted poverty alleviation", "precise poverty alleviation"}
    assert poverty.renderings[0].text.lower() == "targeted poverty alleviation"  # the most frequent first
    site = by_first["resettlement site"]
    assert site.renderings[0].count == 3 and len(site.renderings) == 1  # "sites" and "site": one rendering
    assert "rural revitalization" in by_first and "tongren city" in by_first
    assert not any("carry" in r.key or "recent" in r.key for g in groups for r in g.renderings)
    assert all(r.count >= 2 for g in groups for r in g.renderings)


def test_a_phrase_only_ever_inside_a_longer_one_is_left_out():
    batch = [("a", "Ex situ poverty alleviation relocation worked."), ("b", "Ex situ poverty alleviation relocation ended.")]
    keys = {r.key for g in mine(batch, min_count=2) for r in g.renderings}
    assert "ex situ poverty alleviation relocation" in keys and "situ poverty alleviation relocation" not in keys
    assert "poverty alleviation relocation" not in keys


def test_groups_are_written_as_a_valid_glossary(tmp_path):
    glossary = as_glossary(mine(BATCH, min_count=2))
    assert [e.targets["en"].preferred.lower() for e in glossary.entries] == ["targeted poverty alleviation"]
    assert [v.lower() for v in glossary.entries[0].targets["en"].variants] == ["precise poverty alleviation"]
    for name in ("c.yaml", "c.tbx", "c.tsv"):
        write_glossary(glossary, tmp_path / name)
        (back,) = load_glossaries([tmp_path / name])
        assert [e.targets["en"].preferred for e in back.entries] == [e.targets["en"].preferred for e in glossary.entries]


def test_coverage_counts_the_entries_present_found_and_grouped():
    entries = [Entry("tpa", targets={"en": Rendering("targeted poverty alleviation", ["precise poverty alleviation"])}),
               Entry("site", targets={"en": Rendering("resettlement site")}),
               Entry("absent", targets={"en": Rendering("cadre dispatch")})]
    found = coverage(mine(BATCH, min_count=2), entries, [s for _d, s in BATCH], min_count=2)
    assert found.present == ["tpa", "site"] and found.found == ["tpa", "site"]
    assert found.several == ["tpa"] and found.grouped == ["tpa"]
    assert key_of("Ex-situ  Relocation") == "ex situ relocation"


def test_the_command_mines_a_run_or_its_inputs_and_writes_a_glossary(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for doc in sorted({d for d, _ in BATCH}):
        (inputs / f"{doc}.txt").write_text("\n\n".join(s for d, s in BATCH if d == doc) + "\n", encoding="utf-8")
    out, known = tmp_path / "candidates.yaml", tmp_path / "known.yaml"
    write_glossary(as_glossary(mine(BATCH, min_count=2), name="known"), known)
    done = subprocess.run([sys.executable, "-m", "pipeline", "terms", str(inputs), "--min-count", "2", "--write",
                           str(out), "--against", str(known)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "poverty alleviation" in done.stdout.lower() and "candidate groups" in done.stderr
    (written,) = load_glossaries([out])
    assert [e.targets["en"].preferred.lower() for e in written.entries] == ["targeted poverty alleviation"]
    assert "the candidates found 1 (100%)" in done.stderr
    # each rendering of a group to choose from is shown in a sentence of the batch
    assert "         Precise poverty alleviation: “Precise poverty alleviation helped the relocated households.” (b)" \
        in done.stdout


# An aligned batch written for these tests: two source terms each rendered two ways with
# no head in common (grouping by words could not join them), a term rendered one way, a
# generic term inside the others, and source characters (的) found in many sentences.
ALIGNED = [
    ("a", "The county completed its ex situ poverty alleviation relocation work.", "全县易地扶贫搬迁工作全面完成。"),
    ("a", "Each ex situ poverty alleviation relocation site has a school.", "易地扶贫搬迁安置点建有学校。"),
    ("a", "They presented the experience of ex situ poverty alleviation relocation.", "他们介绍了易地扶贫搬迁的经验。"),
    ("b", "Ex situ poverty alleviation relocation gave the masses new homes.", "易地扶贫搬迁让群众住上新房。"),
    ("b", "The city advanced off-site poverty relief resettlement and rural revitalization.",
     "市里推进易地扶贫搬迁和乡村振兴。"),
    ("b", "Households of off-site poverty relief resettlement moved into new homes.", "易地扶贫搬迁的群众搬进了新家。"),
    ("c", "The county created public welfare posts.", "县里开发公益性岗位。"),
    ("c", "Wages of public welfare posts are paid monthly.", "公益性岗位的工资按月发放。"),
    ("c", "Relocated people work in public welfare posts.", "搬迁群众在公益性岗位上工作。"),
    ("d", "Townships added public-interest jobs.", "乡镇增加公益性岗位。"),
    ("d", "The public-interest jobs helped the households.", "公益性岗位帮助了贫困户。"),
    ("d", "Rural revitalization is the next focus.", "乡村振兴是下一步的重点。"),
    ("e", "Rural revitalization needs talent.", "乡村振兴需要人才。"),
    ("e", "The link between targeted poverty alleviation and rural revitalization is close.", "精准扶贫和乡村振兴的衔接很紧密。"),
]


def _renderings(groups):
    return {g.source: [r.text.lower() for r in g.renderings] for g in groups if g.source}


def test_aligned_renderings_are_grouped_by_the_source_term_they_translate():
    groups = mine(ALIGNED, min_count=2)
    by_source = _renderings(groups)
    assert by_source["易地扶贫搬迁"] == ["ex situ poverty alleviation relocation", "off-site poverty relief resettlement"]
    assert by_source["公益性岗位"] == ["public welfare posts", "public-interest jobs"]
    assert by_source["乡村振兴"] == ["rural revitalization"]
    assert by_source["扶贫"] == ["poverty alleviation"]  # the generic term keeps its own
    # the same sentences without their sources: the words alone cannot join them
    unaligned = mine([(doc, text) for doc, text, _source in ALIGNED], min_count=2)
    assert not any(g.source for g in unaligned)
    assert all(len(g.renderings) == 1 for g in unaligned if g.renderings[0].key.endswith(("resettlement", "job")))


def test_a_source_word_found_everywhere_anchors_nothing():
    # 工作 ("work") and 的 are in most source sentences, beside two unrelated terms
    batch = [("a", "The Spring Festival gala was held.", "春节联欢晚会举行了。"),
             ("a", "Crowds watched the Spring Festival gala at home.", "人们在家观看春节联欢晚会的节目。"),
             ("b", "The Party Committee met on Monday.", "党委周一的工作会议召开。"),
             ("b", "The county Party Committee decided the plan.", "县党委作出了工作决定。"),
             ("c", "The work went well.", "工作进展顺利。"),
             ("c", "Officials checked the work of the year.", "官员检查了全年的工作。")]
    by_source = _renderings(mine(batch, min_count=2))
    assert by_source == {"春节联欢晚会": ["spring festival gala"], "党委": ["party committee"]}


def test_source_runs_are_character_runs_or_word_runs():
    from pipeline.glossary.candidates import source_runs
    runs = source_runs("全县搬迁，2019年 Tongren City！")
    assert {"全县", "县搬", "全县搬迁", "tongren", "tongren city"} <= runs
    assert "2019" not in runs and "迁，" not in runs and "搬迁2019" not in runs


def test_an_aligned_group_is_written_with_its_source_term(tmp_path):
    import json
    # units of translation memory, as a CAT tool exports them
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "aligned.zh-en.jsonl").write_text("".join(
        json.dumps({"doc": doc, "id": f"u{n}", "source": source, "target": text}, ensure_ascii=False) + "\n"
        for n, (doc, text, source) in enumerate(ALIGNED)), encoding="utf-8")
    out = tmp_path / "candidates.tbx"
    done = subprocess.run([sys.executable, "-m", "pipeline", "terms", str(inputs), "--min-count", "2", "--write",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "易地扶贫搬迁: ex situ poverty alleviation relocation" in done.stdout.lower()
    (written,) = load_glossaries([out])
    by_source = {tuple(e.source): e.targets["en"] for e in written.entries}
    assert by_source[("公益性岗位",)].preferred.lower() == "public welfare posts"
    assert written.source_language == "zh"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="易地扶贫搬迁的 abcAB12，。,.!-'", max_size=40))
def test_every_source_run_stands_in_its_sentence_within_one_clause(source):
    import re
    from pipeline.glossary.candidates import MAX_SOURCE_CHARS, MAX_SOURCE_WORDS, source_runs
    lowered = source.lower()
    for run in source_runs(source):
        assert run and not run.replace(" ", "").isdigit()
        if re.fullmatch("[易地扶贫搬迁的]+", run):
            assert 2 <= len(run) <= MAX_SOURCE_CHARS and run in source
        else:  # words of a clause, in order, lower case: no clause break inside
            assert 1 <= len(run.split()) <= MAX_SOURCE_WORDS and not re.search(r"[，。,.!]", run)
            # whole words: what stands beside them is a space, a break, a CJK character or nothing
            shape = r"\s+".join(map(re.escape, run.split()))
            assert re.search(r"(?<![a-z0-9_'-])" + shape + r"(?![a-z0-9_'-])", lowered)
