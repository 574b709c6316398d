from pipeline.config import Settings
from pipeline.document import BOILERPLATE, Document
from pipeline.stages.boilerplate import Boilerplate
from pipeline.stages.segment import Segmenter, split_sentences


def sentences(text):
    return [text[a:b] for a, b in split_sentences(text, "en")]


def test_sentences_with_offsets():
    text = "First one. Second one! Third?"
    assert sentences(text) == ["First one.", "Second one!", "Third?"]


def test_genre_abbreviations_do_not_split():
    assert sentences("It registered Guizhou Feiyue Network Technology Co., Ltd. in partnership with others.") == [
        "It registered Guizhou Feiyue Network Technology Co., Ltd. in partnership with others."]
    assert sentences("See No. 5 Middle School and Art. 12 of the law. Then stop.") == [
        "See No. 5 Middle School and Art. 12 of the law.", "Then stop."]


def test_stray_punctuation_joins_the_sentence_before():
    assert sentences("Treatment costs. . Among them, most were paid.") == [
        "Treatment costs. .", "Among them, most were paid."]


def test_run_together_sentences_stay_together_but_chinese_splits():
    assert sentences("Moved across counties.Relocation started in 2016.") == [
        "Moved across counties.Relocation started in 2016."]
    assert sentences("这是第一句。这是第二句。") == ["这是第一句。", "这是第二句。"]


def test_segments_tile_blocks_and_keep_chrome_whole():
    text = "Previous: No. Really.\n\nOne sentence. Two sentences.\n"
    doc = Segmenter(Settings())(Boilerplate(Settings())(Document("d", "d.txt", "txt", text)))
    assert [(s.kind, s.original) for s in doc.segments] == [
        (BOILERPLATE, "Previous: No. Really."), ("body", "One sentence."), ("body", "Two sentences.")]
    for seg in doc.segments:
        assert text[seg.start:seg.end] == seg.original
    assert [s.index for s in doc.segments] == [0, 1, 2]
    assert [s.block for s in doc.segments] == [0, 1, 1]
