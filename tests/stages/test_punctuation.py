import pytest

from pipeline.config import Settings
from pipeline.document import Document, Segment
from pipeline.text.edits import replay
from pipeline.stages.punctuation import Punctuation

PUNCT = Punctuation(Settings())


def clean(text, lang="en", stage=PUNCT):
    doc = Document("d", "d.txt", "txt", text, lang=lang)
    doc.segments = [Segment(0, 0, len(text), "body", text, lang=lang, lang_prob=1.0)]
    seg = stage(doc).segments[0]
    assert replay(seg.original, [e.__dict__ for e in seg.edits]) == seg.cleaned
    return seg.cleaned, [e.rule for e in seg.edits]


@pytest.mark.parametrize("before,after,rule", [
    ("the family's medical care is guaranteed , An Jingxu's family", "the family's medical care is guaranteed, An Jingxu's family", "space-before-punct"),
    ("for 75% of treatment costs. .", "for 75% of treatment costs.", "doubled-punct"),
    ("resettlement communities. , To reduce it.", "resettlement communities. To reduce it.", "doubled-punct"),
    ("new houses . .", "new houses.", "doubled-punct"),
    ("in 2019 ,, before", "in 2019, before", "repeated-punct+space-before-punct"),
    ("Print this pageClose this page", "Print this page Close this page", "glued-words"),
    ("moved across counties.Relocation began", "moved across counties. Relocation began", "space-after-punct"),
    ("the people,and the", "the people, and the", "space-after-punct"),
    ("the same citizen ... The happiness", "the same citizen... The happiness", "space-before-punct"),
    ("He said, \"much better than in his hometown! \"", "He said, \"much better than in his hometown!\"",
     "space-before-closing-quote"),
])
def test_repairs(before, after, rule):
    cleaned, rules = clean(before)
    assert cleaned == after
    assert rule in rules


def test_a_quote_that_opens_keeps_its_space():
    assert clean('They said! "We moved."') == ('They said! "We moved."', [])


def test_space_before_apostrophe_and_quote_style():
    cleaned, rules = clean("Yao Lan ’s two sons and the community ’s “micro factory”")
    assert cleaned == "Yao Lan's two sons and the community's \"micro factory\""
    assert "moses.unicode-punct+space-before-apostrophe" in rules


def test_full_width_punctuation_in_latin_text():
    cleaned, _ = clean("walk ten minutes to school，and teachers（from three townships）came：yes！")
    assert "，" not in cleaned and "（" not in cleaned and "：" not in cleaned and "！" not in cleaned
    assert cleaned == "walk ten minutes to school, and teachers (from three townships) came: yes!"


def test_chinese_text_is_left_alone():
    text = "九月一日，河畔安置点新建小学迎来了学生（共一千二百六十名）。"
    assert clean(text, lang="zh") == (text, [])


def test_french_keeps_spaced_high_punctuation():
    cleaned, _ = clean("Le village a changé ! Les familles sont là ; elles travaillent .", lang="fr")
    assert "changé\u00a0!" in cleaned and "là\u00a0;" in cleaned and cleaned.endswith("travaillent.")


NBSP = "\u00a0"


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", 'Il a dit: "nous continuons" pour 75 % des familles. Pourquoi?',
     f"Il a dit{NBSP}: «{NBSP}nous continuons{NBSP}» pour 75{NBSP}% des familles. Pourquoi{NBSP}?"),
    ("fr", "Rendez-vous à 8:30 sur http://example.fr/a:b?x=1 demain.",
     "Rendez-vous à 8:30 sur http://example.fr/a:b?x=1 demain."),
    ("fr", "Il a dit « oui» et «non ».", f"Il a dit «{NBSP}oui{NBSP}» et «{NBSP}non{NBSP}»."),
    ("de", 'Er sagte: "Wir machen weiter" und ging. 75 % sind fertig.',
     "Er sagte: „Wir machen weiter“ und ging. 75 % sind fertig."),
    ("de", "Er sagte: „Wir machen weiter“ und ging.", "Er sagte: „Wir machen weiter“ und ging."),
    ("es", "Por qué no vinieron?", "¿Por qué no vinieron?"),
    ("es", "Qué gran cambio!", "¡Qué gran cambio!"),
    ("es", "¿Por qué no vinieron?", "¿Por qué no vinieron?"),
    ("es", "Viven en el 1° piso y 1 o 2 familias en el 2o piso; hace 25 °C.",
     "Viven en el 1.º piso y 1 o 2 familias en el 2.º piso; hace 25 °C."),
    ("pt", "O 1o grupo e o 2° grupo chegaram.", "O 1º grupo e o 2º grupo chegaram."),
    ("en", 'He said: "we continue" for 75 % of families. Why ?', 'He said: "we continue" for 75% of families. Why?'),
])
def test_language_conventions(lang, text, expected):
    cleaned, _ = clean(text, lang=lang)
    assert cleaned == expected
    again, edits = clean(cleaned, lang=lang)
    assert again == cleaned and edits == []  # idempotent


@pytest.mark.parametrize("text", [
    "Your location: Home » News Center » Tongren News",
    "See www.example.gov.cn/a,b?x=1 or mail office@example.gov.cn today.",
    "It cost 1,482.50 yuan, or 3.5 million in total, on 2019-12-30.",
    "Thirteenth Five-Year Plan (2016-2020) period.",
    "Guizhou Feiyue Network Technology Co., Ltd. in partnership with others.",
    "Medical care, transportation, employment, etc., so that all can live well.",
    "The iPhone and eBay and McDonald's and YouTube stayed as written.",
])
def test_text_that_must_not_change(text):
    assert clean(text) == (text, [])


def test_moses_does_not_turn_thin_space_thousands_into_decimals():
    cleaned, _ = clean("It cost 1\u00a0000 yuan.")
    assert "1.000" not in cleaned


def test_rules_can_be_skipped_by_name():
    stage = Punctuation(Settings(punctuation_skip_rules=("glued-words",)))
    assert clean("Print this pageClose this page", stage=stage)[0] == "Print this pageClose this page"


def test_boilerplate_segments_are_not_edited():
    doc = Document("d", "d.txt", "txt", "x", lang="en")
    doc.segments = [Segment(0, 0, 10, "boilerplate", "Home » News , pageClose")]
    assert PUNCT(doc).segments[0].edits == []


# -- gates: a rule's gate (and non_ascii) must admit every text the rule would change --------

from pathlib import Path  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from pipeline.text.edits import Rule  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
GATED = [(lang, r) for lang in ("en", "fr", "de", "es", "pt", "zh") for r in PUNCT.rules_for(lang)
         if r.gate or r.non_ascii]
FIXTURE_LINES = [line for path in sorted(FIXTURES.rglob("*")) if path.suffix in (".txt", ".html", ".jsonl", ".tsv")
                 for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
# the characters the patterns and gates are about, and a few letters and digits
ALPHABET = " \t\n\xa0.,;:!?…\"'“”‘’«»()%º。．abcdsABC19"


def test_most_rules_have_gates():
    assert len({r.name for _, r in GATED}) >= 8
    # the Moses rules about curly quotes, full-width and non-breaking punctuation
    assert {r.name for _, r in GATED if r.non_ascii} >= {"moses.unicode-punct", "moses.normalize-unicode",
                                                          "quote-pairs", "moses.pseudo-spaces"}


@pytest.mark.parametrize("lang,rule", GATED, ids=lambda x: getattr(x, "name", x))
def test_gates_admit_every_fixture_line_the_rule_changes(lang, rule):
    ungated = Rule(rule.name, rule.pattern, rule.replacement)
    missed = [line for line in FIXTURE_LINES if ungated.changes(line) and not rule.may_change(line)]
    assert not missed


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_gates_admit_every_text_a_rule_changes(text):
    for lang, rule in GATED:
        if Rule(rule.name, rule.pattern, rule.replacement).changes(text):
            assert rule.may_change(text), (lang, rule.name, text)


# -- repairs that finish the job (issue 13) -----------------------------------------------------

@pytest.mark.parametrize("before, after", [
    # a doubled stop before a glued capital: the stray stop goes and the space comes
    ("It grew this year . .Each village has a road.", "It grew this year. Each village has a road."),
    ("Roads were built . ,Schools followed.", "Roads were built. Schools followed."),
    # a stop glued to an opening quote gets its space, outside the quote
    ("the green shoots.\u201cOur life is good,\u201d she said.", 'the green shoots. "Our life is good," she said.'),
    ('He said,"We will come."Then he left.', 'He said, "We will come." Then he left.'),
    # spaces inside a pair of quotes go
    ('He said " yes " to it.', 'He said "yes" to it.'),
    ("They said: \u201c we will come \u201d.", 'They said: "we will come."'),
    # an abbreviation's full stop keeps the comma after it
    ("They met at 9 a.m. , then left.", "They met at 9 a.m., then left."),
    ("The U.S. , China and Japan signed.", "The U.S., China and Japan signed."),
    ("Tools, seeds, etc. , were given.", "Tools, seeds, etc., were given."),
    ("It opens at 5 p.m.,so come early.", "It opens at 5 p.m., so come early."),
])
def test_repairs_that_finish_the_job(before, after):
    cleaned, _ = clean(before)
    assert cleaned == after
    assert clean(cleaned) == (cleaned, [])  # and a second run has nothing left to do


@pytest.mark.parametrize("text", [
    # quotes that do not pair up: which side is inside cannot be told, so nothing moves
    'One " two three.',
    'He said " yes, and left.',
    'It ended."Then came the rain, she said.',
    # a decimal, a domain, a time and an abbreviation followed by the next word
    "Growth was 3.5 percent at 8:30 on example.com today.",
    "At 9 a.m. the market opened.",
])
def test_what_the_quote_and_abbreviation_repairs_leave_alone(text):
    assert clean(text) == (text, [])


@pytest.mark.parametrize("text, lang", [
    ("The plan—a bold one—worked.", "en"),
    ("Con una corta frase —la apertura del puente—, el presidente habló.", "es"),
    ("Le projet — un pari — a réussi.", "fr"),
    ("Der Plan – ein kühner – hat funktioniert.", "de"),
])
def test_a_dash_is_never_made_a_hyphen(process, text, lang):
    doc = process(text)
    assert doc.lang == lang
    assert doc.segments[0].cleaned == text


@pytest.mark.parametrize("text", ["Claudia Brandes. ...Tomorrow she takes office", "The party waits ...Tomorrow it votes"])
def test_an_ellipsis_is_not_pulled_into_a_run_together_sentence(process, text):
    doc = process(text)
    assert " ".join(s.cleaned for s in doc.segments) == text


# -- quotation marks as pairs (issue 31) --------------------------------------------------------

from pipeline.checks import Context, surface  # noqa: E402

# Quotation styles in use somewhere (English, German, Polish, French, Danish, Swedish, straight).
QUOTE_STYLES = [('"', '"'), ("“", "”"), ("„", "“"), ("„", "”"), ("«", "»"), ("»", "«"), ("”", "”"),
                (f"«{NBSP}", f"{NBSP}»")]
LEGITIMATE = {(a.strip(NBSP), b.strip(NBSP)) for a, b in QUOTE_STYLES}
QUOTE_WORDS = {"en": ["the", "village", "said", "new", "homes"], "de": ["die", "Stadt", "sagte", "neue", "Wohnungen"],
               "fr": ["la", "ville", "dit", "nouveaux", "logements"], "es": ["la", "ciudad", "dijo", "nuevas", "casas"],
               "pt": ["a", "cidade", "disse", "novas", "casas"]}


@st.composite
def quoted_sentences(draw):
    lang = draw(st.sampled_from(sorted(QUOTE_WORDS)))
    words = st.sampled_from(QUOTE_WORDS[lang])
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        parts += draw(st.lists(words, min_size=1, max_size=3))
        opening, closing = draw(st.sampled_from(QUOTE_STYLES))
        inner = " ".join(draw(st.lists(words, min_size=1, max_size=3)))
        pad = draw(st.sampled_from(["", " "]))  # MT leaves spaces inside the marks
        parts.append(f"{opening}{pad}{inner}{pad}{closing}" + draw(st.sampled_from(["", ",", "."])))
    return lang, " ".join(parts).capitalize() + " " + draw(words) + "."


def quote_pairs_of(text):
    marks = [c for c in text if c in '"“”„‟«»']
    return list(zip(marks[::2], marks[1::2]))


def unbalanced_marks(text, lang):
    segment = Segment(0, 0, len(text), "body", text, lang=lang, lang_prob=1.0)
    surface.unbalanced([segment], Context(Document("d", "d.txt", "txt", text, lang=lang), lang, "zh"))
    return len(segment.flags)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(quoted_sentences())
def test_quotes_are_normalised_as_pairs_in_every_language_and_style(sample):
    lang, text = sample
    cleaned, _ = clean(text, lang)
    assert all(pair in LEGITIMATE for pair in quote_pairs_of(cleaned)), cleaned  # no pair mixes two styles
    # the cleaned text is never more unbalanced than the text as written: no flag blames
    # the writer for a defect one of the pipeline's own edits made
    assert unbalanced_marks(cleaned, lang) <= unbalanced_marks(text, lang), cleaned
    assert clean(cleaned, lang) == (cleaned, [])


@pytest.mark.parametrize("lang, text, expected", [
    ("de", "Die Stadt hat im sogenannten “grünen Bereich” neue Wohnungen gebaut, sagte der Bürgermeister.",
     "Die Stadt hat im sogenannten „grünen Bereich“ neue Wohnungen gebaut, sagte der Bürgermeister."),
    ("de", "Er nannte es „ein gutes Jahr” und ging.", "Er nannte es „ein gutes Jahr“ und ging."),
    ("de", "Er nannte es »ein gutes Jahr« und ging.", "Er nannte es „ein gutes Jahr“ und ging."),
    ("en", "The farmer said “ life is good now ” and smiled.", 'The farmer said "life is good now" and smiled.'),
    ("en", "They called it «the new village» at first.", 'They called it "the new village" at first.'),
    ("fr", "Il a dit “oui” hier.", f"Il a dit «{NBSP}oui{NBSP}» hier."),
    ("es", "Dijo „sí” y “no”.", 'Dijo "sí" y "no".'),
])
def test_a_quotation_changes_both_marks_in_one_edit(lang, text, expected):
    cleaned, rules = clean(text, lang)
    assert cleaned == expected
    assert all("quote-pairs" in r for r in rules)
    assert len(rules) == len(quote_pairs_of(text))  # one edit a pair


@pytest.mark.parametrize("lang, text", [
    ("de", "Er sagte „ja“, dann ging er."),  # already German
    ("de", "Der Satz endet mit „einem Zitat, das weitergeht."),  # one mark: its partner is elsewhere
    ("en", 'A 27" screen and a "new" desk.'),  # straight already
    ("en", "Home » News » Article"),  # separators, not quotes
    ("fr", f"Il a dit «{NBSP}oui{NBSP}» hier."),
])
def test_quotes_left_as_they_are(lang, text):
    assert clean(text, lang) == (text, [])


def test_a_quote_whose_partner_is_in_another_segment_is_left_as_written():
    """A quotation over several sentences: made over alone, its marks could differ from
    each other (one segment German, the next English, or a closing mark read as opening)."""
    assert clean("“There is only one road in the village.") == ("“There is only one road in the village.", [])
    assert clean("Hierzu führte er aus: “You can connect the dots.", "de")[1] == []
    text = "the dots connect.” Then he said “more to come"
    assert clean(text) == (text, [])  # the end of one quotation and the start of the next


@pytest.mark.parametrize("lang, text, expected", [
    # two commas typed for a low opening quote, two apostrophes for the closing one
    ("de", "Zwei Wörter für ,,Liebe’’ stehen im Buch.", "Zwei Wörter für „Liebe“ stehen im Buch."),
    ("de", "Da ist das Wort ,,dodim'' im Text.", "Da ist das Wort „dodim“ im Text."),
    ("en", "He said ,,yes'' and left.", 'He said "yes" and left.'),
])
def test_two_commas_typed_for_a_quote_are_a_quote(lang, text, expected):
    cleaned, rules = clean(text, lang)
    assert cleaned == expected and len(rules) == 1  # one edit for the pair


@pytest.mark.parametrize("text, expected", [
    ("In 2019 ,, before the move.", "In 2019, before the move."),  # a doubled comma
    ("Rooms 1,,2 and 3 were ready.", "Rooms 1,,2 and 3 were ready."),  # "1,2" would read as one number
])
def test_a_doubled_comma_between_digits_stays(text, expected):
    assert clean(text)[0] == expected
