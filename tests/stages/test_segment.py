from pipeline.config import Settings
from pipeline.document import BOILERPLATE, Document
from pipeline.stages.boilerplate import Boilerplate
from pipeline.stages.segment import Segmenter, split_sentences


def sentences(text, lang="en"):
    return [text[a:b] for a, b in split_sentences(text, lang)]


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


def test_run_together_sentences_are_cut_apart():
    assert sentences("Moved across counties.Relocation started in 2016.") == [
        "Moved across counties.", "Relocation started in 2016."]
    assert sentences("The fields were sown (photo taken on 3 May).Photo by Li Ming") == [
        "The fields were sown (photo taken on 3 May).", "Photo by Li Ming"]
    assert sentences("It was included in the list.”We will go on,” he said.") == [
        "It was included in the list.”", "We will go on,” he said."]
    assert sentences("The owner is Wang Li.The book is thick.") == ["The owner is Wang Li.", "The book is thick."]
    assert sentences("这是第一句。这是第二句。") == ["这是第一句。", "这是第二句。"]
    # the space on the wrong side of the stop, in any language
    assert sentences("Many families moved to the city .It was a good year.") == [
        "Many families moved to the city .", "It was a good year."]
    assert sentences("Die Nebenkosten sind 25 Euro Reinigung .Das Mitbringen ist Pflicht.", "de") == [
        "Die Nebenkosten sind 25 Euro Reinigung .", "Das Mitbringen ist Pflicht."]


def test_what_only_looks_run_together_stays_whole():
    for text in ("Visit www.Gov.cn for the notice.", "He joined the U.S.Army in 1990.", "Write to info@Town.Gov.",
                 "See No.Five Middle School.", "The fund rose 3.5 percent.", "Built on the .NET platform.",
                 "Files end in .Docx.gz here."):
        assert sentences(text) == [text]


def test_sentence_ends_decide_inside_quotation_marks():
    assert sentences('He said, "There are 40 families. Each one is listed." Then he left.') == [
        'He said, "There are 40 families.', 'Each one is listed."', "Then he left."]
    assert sentences("Il a dit « Il pleut. Il fait froid. » Puis il est parti.", "fr") == [
        "Il a dit « Il pleut.", "Il fait froid. »", "Puis il est parti."]
    assert sentences("Er sagte: „Es regnet. Es ist kalt.“ Dann ging er.", "de") == [
        "Er sagte: „Es regnet.", "Es ist kalt.“", "Dann ging er."]
    # a quotation and then who said it stays one sentence
    assert sentences('"Every room is booked!" Said the manager.') == ['"Every room is booked!" Said the manager.']
    assert sentences('"Is it ready?" she asked.') == ['"Is it ready?" she asked.']
    # a straight quote between two sentences goes with the one it opens
    assert sentences('The harvest was good."Our village is rich now," he said.') == [
        "The harvest was good.", '"Our village is rich now," he said.']


def test_quote_marks_never_fall_outside_a_sentence():
    for text in ('" the', "the »", '" One. Two. "', "“Yes.” “No.”"):
        spans = split_sentences(text, "en")
        covered = "".join(text[a:b] for a, b in spans)
        assert covered.replace(" ", "") == text.replace(" ", "")


def test_a_list_number_heads_its_sentence():
    assert sentences("2. Bring your ID card. 3. Scan the code first.") == [
        "2. Bring your ID card.", "3. Scan the code first."]
    assert sentences("Four. Working requirements") == ["Four. Working requirements"]
    assert sentences("Six. 2. Wang Fang spoke for the parents.") == ["Six. 2. Wang Fang spoke for the parents."]


def test_a_stray_mark_after_a_full_stop_starts_the_next_sentence():
    assert sentences("Windows were set up in the centres. , To cut queues, one office does it all.") == [
        "Windows were set up in the centres.", ", To cut queues, one office does it all."]
    assert sentences("It costs 5 yuan. , and more.") == ["It costs 5 yuan. , and more."]


def test_segments_tile_blocks_and_keep_chrome_whole():
    text = "Previous: No. Really.\n\nOne sentence. Two sentences.\n"
    doc = Segmenter(Settings())(Boilerplate(Settings())(Document("d", "d.txt", "txt", text)))
    assert [(s.kind, s.original) for s in doc.segments] == [
        (BOILERPLATE, "Previous: No. Really."), ("body", "One sentence."), ("body", "Two sentences.")]
    for seg in doc.segments:
        assert text[seg.start:seg.end] == seg.original
    assert [s.index for s in doc.segments] == [0, 1, 2]
    assert [s.block for s in doc.segments] == [0, 1, 1]


def test_a_bullet_inside_a_paragraph_does_not_stop_the_cuts():
    assert sentences("The plan is done. • The road is open. The school is new.") == [
        "The plan is done.", "• The road is open.", "The school is new."]


def test_a_long_paragraph_is_cut_all_through():
    text = " ".join(f"Village {n} built {n} new houses. “We moved in May,” said resident {n}." for n in range(400))
    assert len(sentences(text)) == 800
