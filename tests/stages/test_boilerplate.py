import pytest

from pipeline.config import Settings
from pipeline.document import BODY, BOILERPLATE, HEADING, Document
from pipeline.stages.boilerplate import (BLOCK_RULES, CREDIT_RULES, DIGIT_RULES, RELATED_HEADER, Boilerplate,
                                         _may_be_credit, classify, could_be_title,
                                         looks_like_heading, reads_as_title)


@pytest.mark.parametrize("line,rule", [
    ("Your current location: Home » News Center » Tongren News", "breadcrumb"),
    ("Home >>National", "breadcrumb"),
    ("Font: Small Medium Large Clicks: Print this pageClose this page", "widget"),
    ("share to", "widget"),
    ("Leave a Reply", "widget"),
    ("Your email address will not be published.", "widget"),
    ("Previous: No", "previous-next"),
    ("Next: None", "previous-next"),
    ("Source:China Daily Published:2018-08-22 09:36", "byline"),
    ("(author: Su Jianping Zhang Yongzhi)", "byline"),
    ("Guangzhou Daily all media reporters Wu Wei, Zhang Dan, Li Bo", "byline"),
    ("Index: 000014349 / 2019-2207966", "byline"),
    ("(Photo / Xinhua)", "byline"),
    ("[Chen Yalin/For China Daily]", "byline"),
    ("Dernière mise à jour à 10h11 le 25/12", "byline"),
    ("Tongren City Government Website", "site-name"),
    ("Copyright © 2020 Example County. All rights reserved.", "footer"),
    ("![]() | ![]() |", "no-text"),
])
def test_chrome_lines_are_classified(line, rule):
    assert classify(line) == rule


@pytest.mark.parametrize("line", [
    "This is a profound change taking place in the Wuling Mountains.",
    "The community has convenient transportation, the grandchildren are close to school.",
    "Click the button to print this page and close the window after printing, then return to the site.",
    "Next year, the county will build 6 more schools.",
    "Reporters from the county newspaper visited the resettlement site in May.",
])
def test_article_sentences_are_not_chrome(line):
    assert classify(line) is None


def test_headings_are_short_unpunctuated_lines():
    assert looks_like_heading("Cut off the poor roots and live in a good house")
    assert not looks_like_heading("They have basically no skills.")
    assert not looks_like_heading("the lower-case start of a wrapped line")


def test_related_list_runs_until_the_article_resumes():
    text = ("Body sentence one. Body sentence two.\n\nRelated Information\n\n"
            "  • First linked story2019-12-30\n  • Second linked story\nShort title without bullet\n")
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", text))
    kinds = [(text[b.start:b.end], b.kind, b.rule) for b in doc.blocks]
    assert kinds[0][1] == BODY
    assert all(kind == BOILERPLATE and rule == "boilerplate:related-list" for _, kind, rule in kinds[1:])


def test_blocks_are_trimmed_lines_and_a_single_line_is_body():
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", "  one line without a stop  \n"))
    assert [(b.start, b.end, b.kind) for b in doc.blocks] == [(2, 25, BODY)]


def test_boilerplate_can_be_switched_off():
    doc = Boilerplate(Settings(boilerplate=False))(Document("d", "d.txt", "txt", "Previous: No\n\nA sentence here."))
    assert [b.kind for b in doc.blocks] == [BODY, BODY]  # a field, kept: no chrome rule ran
    doc = Boilerplate(Settings(boilerplate=False))(Document("d", "d.txt", "txt", "Short title for it\n\nA sentence."))
    assert [b.kind for b in doc.blocks] == [HEADING, BODY]


# -- long paragraphs skip the rules: only when no rule could apply -----------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from pipeline.stages.boilerplate import MOST_WORDS, _fewest_words, canonical  # noqa: E402

PIECES = st.sampled_from(["word", "pageClose", "Home", "»", " ", "  ", "\t", "\n", ",", ".", ";", "!", "é", "2019"])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_fewest_words_is_a_lower_bound(text):
    assert _fewest_words(text) <= len(canonical(text).split())


def test_only_a_paragraph_too_long_for_every_rule_skips_them():
    paragraph = " ".join(["The county built new houses , schools and clinics ."] * 5)
    assert _fewest_words(paragraph) > MOST_WORDS and classify(paragraph) is None
    assert classify("Copyright © 2020 Tongren Municipal People's Government , all rights reserved .") == "footer"


# Shapes of page furniture, in several languages and from several kinds of site: written
# here, not taken from the development pages.
@pytest.mark.parametrize("line, rule", [
    ("Wang Fang Photo", "photo-credit"),
    ("Photo by Maria Lopez for The Herald", "photo-credit"),
    ("Foto: Hans Berger", "photo-credit"),
    ("Crédit photo : Jean Martin", "photo-credit"),
    ("(EPA Photo/Luis Gomez)", "photo-credit"),
    ("AFP / Getty Images", "photo-credit"),
    ("(file photo)", "photo-credit"),
    ("IMG_2041.JPG", "image-file"),
    ("By Sarah Connors and Li Wei in Chengdu", "byline"),
    ("Par Claire Dubois, envoyée spéciale à Lyon", "byline"),
    ("Von Peter Schmidt am 04.05.2021", "byline"),
    ("Por Ana Ruiz | 12/03/2021 10:15", "byline"),
    ("2021-03-12 14:05 Xinhua", "dateline"),
    ("12 mars 2021", "dateline"),
    ("Updated 4 June 2020, 09:30", "dateline"),
    ("Veröffentlicht am 4. Mai 2021", "dateline"),
    ("04.05.2021 - Weiterlesen", "dateline"),
    ("5 min read", "reading-time"),
    ("Lesezeit: 4 Min.", "reading-time"),
    ("Skip to main content", "skip-link"),
    ("Aller au contenu", "skip-link"),
    ("Saltar al contenido principal", "skip-link"),
    ("Sign up for our weekly newsletter", "newsletter"),
    ("Abonnez-vous à notre lettre d'information", "newsletter"),
    ("Advertisement", "advertisement"),
    ("Anzeige", "advertisement"),
    ("Original title: Mountain village opens its first library", "repost-note"),
    ("(原标题：山村图书馆开馆)", "repost-note"),
    ("Sport / Football", "breadcrumb"),
    ("Politik > Ausland", "breadcrumb"),
    ("De notre correspondant à Pékin, Marc Durand", "byline"),
    ("Avec notre correspondante à Berlin", "byline"),
    ("Von unserem Korrespondenten in Madrid", "byline"),
    ("Por nuestro corresponsal en Lima", "byline"),
    ("Drucken", "widget"), ("Compartir", "widget"),
    ("Impressum", "footer"), ("Mentions légales", "footer"), ("Política de privacidad", "footer"),
    ("2 comments", "comments"), ("Aucun commentaire", "comments"), ("Sin comentarios", "comments"),
    ("Rechercher", "widget"), ("Table des matières", "widget"), ("Índice", "widget"),
    ("Jetzt zum Newsletter anmelden", "newsletter"), ("Subscribe to our weekly print edition", "newsletter"),
    ("Foto via Flickr", "photo-credit"),
])
def test_furniture_shapes(line, rule):
    assert classify(line) == rule


@pytest.mark.parametrize("line", [
    "By 2025, every village will have a paved road.",
    "By Friday, the river had fallen below the warning level.",
    "Von einem neuen Gesetz profitieren vor allem Familien.",
    "Photos taken by villagers show the flooded fields.",
    "The newsletter of the county reaches 3,000 homes.",
    "On 2021-03-12 the committee approved the plan for the new school.",
    "In March 2021, the clinic opened its doors to patients.",
    "Advertising on buses earns the town 2 million yuan a year.",
    "Skip the queue and apply online, the office said.",
    "The survey by Gallup/Knight was published in May.",
    "Stellenangebote/Weiterbildung",
    "Search teams found the two missing hikers on Sunday.", "Comments from residents were mixed.",
    "No comments were received before the deadline.", "The newsletter goes out every Friday morning to readers.",
])
def test_sentences_that_only_share_a_word_with_furniture(line):
    assert classify(line) is None


@pytest.mark.parametrize("header", ["Most commented", "Meistgelesen", "Más información:", "Plus d'informations",
                                    "You might also like", "Mehr zum Thema:", "Sur le même sujet", "Lo más leído",
                                    "Leia também", "Related posts", "Ähnliche Beiträge"])
def test_related_headers_in_several_languages(header):
    text = f"Body sentence one. Body sentence two.\n\n{header}\n\n  • A linked story\n  • Another linked story\n"
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", text))
    assert [b.rule for b in doc.blocks[1:]] == ["boilerplate:related-list"] * 3


# Issue 32's kinds of chrome that unseen sites kept, each in lines written here (the
# shapes, not any page's wording): metadata and datelines, bylines and source credits,
# widgets, series notes and related links.
@pytest.mark.parametrize("line, rule", [
    # metadata fields and datelines
    ("Release time:Mar 02, 2023 09:41 AM", "dateline"),
    ("Erstellt am: 14.02.2021 10:15", "dateline"),
    ("Heure de mise en ligne : 3 mai 2022", "dateline"),
    ("Hebei Daily 2021-11-05 08:30", "dateline"),
    ("El Sol de León 12/03/2021", "dateline"),
    ("2023/01/0508:12:44 admin 312", "dateline"),
    ("Qinghai Salt Lake Co.,Ltd | Updated: Jan 12, 2020", "dateline"),
    ("03. 11. 2019 Druckansicht | Seite empfehlen | Kontakt", "dateline"),
    ("2020-08-01 16:40 Views: 512", "dateline"),
    ("Dali, Yunnan Daily, March 7, by wire, Title: Cherry blossoms in the old town", "dateline"),
    ("Lyon, 4 mars (AFP)", "dateline"),
    ("Hits: 2048", "byline"), ("Views (1064)", "counter"),
    ("Stichwörter: Dorfentwicklung , Wasserversorgung , Schulbau", "widget"),
    ("Mots-clés : agriculture, irrigation", "widget"),
    # bylines and source credits
    ("By qxzx2019 qxzx2019", "byline"),
    ("Posted by", "byline"),
    ("( Reuters)", "source-credit"),
    ("(AFP)", "source-credit"),
    ("Yonhap News Agency reported", "source-credit"),
    ("Hubei Daily", "source-credit"),
    ("Zhou Min and Tang Xiaoli", "byline"),
    ("Photo courtesy of the county museum", "photo-credit"),
    ("(Text by Xinhua; Photos by Hebei Daily)", "photo-credit"),
    ("Data picture:", "photo-credit"), ("(File photo)", "photo-credit"),
    ("Source: Hunan Daily; Editor: Liu Fang", "byline"),
    ("berichtet Zhang Wei von Xinhua.", "byline"),
    # widgets
    ("Font size:【 Large Medium Small 】 Print", "widget"),
    ("Schrift: groß mittel klein", "widget"),
    ("Share this with Print", "widget"),
    ("Telegram WhatsApp Pinterest Reddit", "widget"),
    ("Audio PlayerClose", "widget"),
    ("Share - Weibo", "widget"),
    ("Partager sur Facebook", "widget"),
    ("Set as homepage Add to favorites", "widget"),
    ("EnglishFrançais Español Deutsch日本語", "widget"),
    ("Guiyang Temperature: 21℃ Weather: Sunny", "widget"),
    ("Wir verwenden Ihre E-Mail-Adresse, um Ihnen den Newsletter zu senden.", "newsletter"),
    ("You can unsubscribe at any time.", "newsletter"),
    # series notes and related links
    ("This story is the third in a series about water in the north.", "series-note"),
    ("This is part two of our series on village schools.", "series-note"),
    ("Cet article fait partie d'une série sur les villes moyennes.", "series-note"),
    ("Special report: Ten years of relocation", "series-note"),
    ("Related: Village clinics get new doctors", "related-link"),
    ("homepage news >Local", "breadcrumb"),
    ("Lire aussi : La ville ouvre une nouvelle bibliothèque", "related-link"),
])
def test_chrome_shapes_of_unseen_sites(line, rule):
    assert classify(line) == rule


@pytest.mark.parametrize("line", [
    "Share the road with cyclists, the police said.",
    "Beautiful Buhua Village",
    "Huize County Builds 119 Relocation Sites",
    "Safety Net for Rural Families",
    "The Times reported on the floods in July.",
    "By the end of May, 300 families had moved.",
    "Release of the report: the committee met on 2021-05-03 and agreed on the plan for the new school.",
    "Traditional Chinese medicine hospital opens in Tongren",
    "Related to the plan, the county also built roads.",
    "This article is about the new school.",
    "Zhou Min, 45, runs the village shop with her husband.",
    "In 2019: we built roads",
    "Guiyang and Tongren",  # place names: one word each
    "The Daily Times, March 7, reported a fire in the market",  # the paper is the subject, not a dateline
    "Kunming, March 7 (Xinhua) -- The city opened its first metro line on Saturday.",  # the lead after it
    "Home prices/rents rose by 3% in March.",
    "Data maps show where the villages moved",
])
def test_article_lines_near_those_shapes(line):
    assert classify(line) is None


def test_a_headline_above_a_dateline_stays_a_heading_and_the_dateline_goes():
    text = ("Mountain Village Opens Its First Library\n"
            "Release time:Mar 02, 2023 09:41 AM\n"
            "The library, built with money from the county and two companies, opened on Monday with 3,000 books.\n")
    kinds = _kinds_of(text)
    assert kinds["Mountain Village Opens Its First Library"] == "heading:short-line"
    assert kinds["Release time:Mar 02, 2023 09:41 AM"] == "boilerplate:dateline"


def test_a_breadcrumb_ending_in_the_title_is_chrome():
    text = ("Culture Portal - Customs and crafts - River town keeps its old ferry\n"
            "River town keeps its old ferry\n"
            "The ferry, which has crossed the river for ninety years, will run again from May, the town said.\n")
    kinds = _kinds_of(text)
    assert kinds["Culture Portal - Customs and crafts - River town keeps its old ferry"] == "boilerplate:breadcrumb"
    assert kinds["River town keeps its old ferry"] == "heading:short-line"


def test_a_credit_with_a_stop_of_its_own_is_split_whole():
    text = "The old bridge was rebuilt in two years. (File photo) Wang Lin\n"
    kinds = _kinds_of(text)
    assert kinds["(File photo) Wang Lin"] == "boilerplate:credit"
    assert kinds["The old bridge was rebuilt in two years."] == "body"


def test_the_signature_closing_a_notice_is_chrome():
    text = ("Notice on free eye tests\n"
            "All residents over sixty may have their eyes tested free of charge at the county hospital until May.\n"
            "Bring your identity card and the card of your health insurance to the hospital.\n"
            "Lanping County Health Commission\nOffice of the Director\nApril 2nd, 2023\n")
    signature = ("Lanping County Health Commission", "Office of the Director", "April 2nd, 2023")
    kinds = _kinds_of(text)
    assert all(kinds[line].startswith("boilerplate:") for line in signature)
    assert kinds["Notice on free eye tests"] == "heading:short-line"
    kinds = _kinds_of(text, line_model=False)  # the rule alone (the date line is a dateline wherever it stands)
    assert [kinds[line] for line in signature] == ["boilerplate:signature"] * 2 + ["boilerplate:dateline"]


def test_a_signature_before_the_footer_is_found_again_in_the_cleaned_text():
    article = "All residents over sixty may have their eyes tested free of charge at the county hospital until May.\n"
    signature = "Lanping County Health Commission\nApril 2nd\n"
    first = _kinds_of(article + signature + "Copyright 2023 Lanping County. All rights reserved.\n", line_model=False)
    again = _kinds_of(article + signature, line_model=False)
    assert first["April 2nd"] == again["April 2nd"] == "boilerplate:signature"


@pytest.mark.parametrize("ending", [
    "Lanping County Health Commission\nOffice of the Director\n",  # no date: headings, maybe a list
    "Questions\nWhen does it close?\nApril 2nd\n",  # a sentence among the lines
    "One\nTwo\nThree\nFour\nFive\nApril 2nd, 2023\n",  # more lines than a signature has
])
def test_lines_closing_an_article_that_are_not_a_signature(ending):
    text = "All residents over sixty may have their eyes tested free of charge at the county hospital until May.\n" + ending
    assert "boilerplate:signature" not in _kinds_of(text).values()


def test_a_date_field_before_a_short_line_is_not_split_from_it():
    assert _kinds_of("Updated: 2020-01-15 18:13:21 China · Yunnan\n") == {
        "Updated: 2020-01-15 18:13:21 China · Yunnan": "boilerplate:byline"}


def test_an_image_file_name_before_its_caption_is_split_off():
    kinds = _kinds_of("bridge_0412.jpg Workers lift the last span into place on Tuesday.\n")
    assert kinds == {"bridge_0412.jpg": "boilerplate:image-file",
                     "Workers lift the last span into place on Tuesday.": "body"}


def test_a_sentence_about_related_things_is_not_a_header():
    assert not RELATED_HEADER.search("Related posts were removed by the editor.")


def _kinds_of(text, **settings):
    doc = Boilerplate(Settings(**settings))(Document("d", "d.txt", "txt", text))
    return {text[b.start:b.end]: b.rule or b.kind for b in doc.blocks}


def test_short_lines_among_chrome_are_chrome_but_the_headline_stays():
    text = ("Home » News » County news\n"
            "Services\nEvents\nSchools\nContact\n"
            "River town opens its first public library\n"
            "By Wang Fang\n2021-05-04 09:30\n"
            "The town of Heping opened its first public library on Monday, with 12,000 books for its residents.\n"
            "It was not easy.\n"
            "Most of the books were given by families who moved to the town from the mountain villages.\n"
            "Share this article\nPrivacy policy | Contact us\nMore stories\n")
    kinds = _kinds_of(text, line_model=False)  # the neighbours' rule alone
    assert kinds["Services"] == kinds["Events"] == "boilerplate:between-chrome"  # menu entries
    assert kinds["More stories"] == "boilerplate:between-chrome"
    # up to three non-chrome blocks above the article may be its headline or subtitle
    assert kinds["River town opens its first public library"] == "heading:short-line"
    assert kinds["Contact"] == "body"  # one word away from the article: a label, not a heading
    assert kinds["It was not easy."] == "body"  # a short sentence inside the article
    # the line model finds the whole menu, the headline and the article stay
    kinds = _kinds_of(text)
    assert all(kinds[m].startswith("boilerplate:") for m in ("Services", "Events", "Schools", "Contact", "More stories"))
    assert kinds["River town opens its first public library"] == "heading:short-line"
    assert kinds["It was not easy."] == "body"


def test_neighbours_never_touch_a_page_without_chrome():
    text = "A short title\nOne short line\nThe village built new houses for 300 families who moved in this spring.\n"
    assert "boilerplate:between-chrome" not in _kinds_of(text).values()


@pytest.mark.parametrize("paragraph, credit", [
    ("Farmers dry chillies in the sun.Zhang Wei Photo", "Zhang Wei Photo"),
    ("Rescuers search the river bank on Monday. (EPA Photo/Luis Gomez)", "(EPA Photo/Luis Gomez)"),
    ("The new bridge opened in June (taken on 4 June).Photo by Li Na, reporter", "Photo by Li Na, reporter"),
    ("The clinic serves 3,000 people. By Anna Berg", "By Anna Berg"),
])
def test_a_credit_ending_a_paragraph_becomes_its_own_block(paragraph, credit):
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", paragraph + "\n"))
    pieces = [(paragraph[b.start:b.end], b.kind) for b in doc.blocks]
    assert pieces[-1] == (credit, BOILERPLATE) and pieces[0][1] == BODY


@pytest.mark.parametrize("paragraph", [
    "The school opened in May. By then the road was finished too.",
    "The photo shows the village. Photos of the flood were shared widely online.",
    "The road is new. The bridge is old.",
])
def test_a_last_sentence_that_is_not_a_credit_stays(paragraph):
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", paragraph + "\n"))
    assert [b.kind for b in doc.blocks] == [BODY]


def test_a_line_said_again_further_down_is_the_copy_that_goes():
    lead = "WELLINGTON (Reuters) - Heavy rain closed three roads in the north of the island on Monday, police said."
    teaser = lead[:63]  # "... in the n": cut mid-word
    text = ("Storm closes roads\n" + teaser + "\n" + "Photo of the coast road at dawn\n" + lead + "\n"
            "Crews expect to reopen two of the roads by Wednesday, a council spokesman said on Tuesday.\n")
    kinds = _kinds_of(text)
    assert kinds[teaser] == "boilerplate:repeated-line"
    assert kinds[lead] == "body"  # the later copy stays: no text is lost
    # a short line said twice is not this rule's (a subheading may recur)
    # nor are two lines that differ only in their numbers
    kinds = _kinds_of(f"{lead.replace('three', '3')}\n{lead.replace('three', '4')}\n")
    assert "boilerplate:repeated-line" not in kinds.values()
    other = "Two of the three roads had been closed in the same way in the floods of 2019, the council said."
    assert "boilerplate:repeated-line" not in _kinds_of(f"Background\n{lead}\nBackground\n{other}\n").values()


@pytest.mark.parametrize("line, field", [
    ("date 2022-07 Am 26. Juli fand im Hotel eine Konferenz zur Digitalisierung statt.", "date 2022-07"),
    ("Published: 2024-09-19 The county opened its new market on Friday.", "Published: 2024-09-19"),
    ("Publié le 12 mars 2021 La mairie a ouvert une nouvelle école.", "Publié le 12 mars 2021"),
])
def test_a_date_field_run_into_the_paragraph_is_split_off(line, field):
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", line))
    pieces = [(line[b.start:b.end], b.rule or b.kind) for b in doc.blocks]
    assert pieces == [(field, "boilerplate:dateline"), (line[len(field):].strip(), "body")]


def test_a_repost_note_inside_a_paragraph_is_split_off():
    line = ("New bridge opens in the valley. Original title: A bridge over the Lan river. "
            "The bridge took three years to build and cost 12 million yuan.")
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", line))
    pieces = [(line[b.start:b.end], b.rule or b.kind) for b in doc.blocks]
    assert pieces == [("New bridge opens in the valley.", "body"),
                      ("Original title: A bridge over the Lan river.", "boilerplate:repost-note"),
                      ("The bridge took three years to build and cost 12 million yuan.", "body")]


@pytest.mark.parametrize("line, heading", [
    ("River town opens its first public library", True), ("Cut off the poor roots and live in a good house", True),
    ("Tongren: Cultural flowers spread their fragrance", True),
    ("Kontakt", False), ("Mein Konto", False), ("Author: Li Ming", False), ("Lieferzeit: 15 - 21 Tage", False),
    ("News | Sport | Weather", False), ("Home · About us · Jobs", False),
])
def test_a_short_line_is_a_title_when_it_reads_as_one(line, heading):
    assert reads_as_title(line) is heading


def test_a_one_word_line_right_above_the_article_is_its_heading():
    text = "Background\nThe county has moved 12,000 people out of the mountains since 2016, officials said.\n"
    assert _kinds_of(text)["Background"] == "heading:short-line"


@pytest.mark.parametrize("line, title", [
    ("Mountain Village Opens Its First Library", True), ("Kontakt", True), ("Tongren: Cultural Flowers", True),
    ("Release time:Mar 02, 2023 09:41 AM", False), ("Home > News > Local", False), ("( Reuters)", False),
    ("Hubei Daily", False), ("Site - Section - River town keeps its old ferry", False),
    ("EnglishFrançais Español", False), ("中文 English", False),
])
def test_which_lines_could_be_titles(line, title):
    assert could_be_title(line) is title


_DIGITLESS = st.lists(st.sampled_from([
    "Published", "Updated", "Release", "time", "date", ":", "：", "May", "March", "juillet", "Hits", "Views", "(", ")",
    "min", "read", "Lesezeit", "|", "·", "-", ".", ",", "China", "Daily", "am", "le", "de", "PM", "Uhr", "T", "/"]),
    min_size=1, max_size=10).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_DIGITLESS)
def test_digit_rules_need_a_digit(line):
    """classify skips the DIGIT_RULES on a line without a digit: none of them can match one."""
    for name, pattern, _ in BLOCK_RULES:
        if name in DIGIT_RULES:
            assert not pattern.search(line), (name, line)


_CREDIT_LIKE = st.lists(st.sampled_from([
    "By", "by", "Photo", "photo", "Photos", "(", ")", "[", "]", "/", ":", "Li", "Ming", "Wang", "Lin", "and", "Xinhua",
    "Daily", "Reporter", "reporter", "Source", "Editor", "writes", "of", "Foto", "dpa", "REUTERS", "file", "picture",
    "courtesy", "the", "Share", "Print", "Home", ">", "img_01.jpg", "Original", "title", "2021-05-04", ".", "news"]),
    min_size=1, max_size=12).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_CREDIT_LIKE)
def test_credit_prefilter_agrees_with_classify(line):
    """A paragraph's last sentence is classified only when `_may_be_credit` lets it: it
    must let every one that classify calls a credit."""
    if classify(line) in CREDIT_RULES:
        assert _may_be_credit(line), line


_CHROME_LINES = ["2023-04-02 09:30", "By Wang Fang", "Xinhua", "Home > News", "Share", "Print", "Contact", "Services",
                 "Copyright 2023 Lanping County. All rights reserved.", "Dali, Yunnan Daily, March 7, by wire",
                 "Data Map:", "on", "April 2nd, 2023"]
_SHORT_LINES = ["River town opens its first public library", "Lanping County Health Commission",
                "Office of the Director", "April 2nd", "Events", "It was not easy."]
_PARAGRAPHS = ["All residents over sixty may have their eyes tested free of charge at the county hospital until May.",
               "The library, built with money from the county and two companies, opened on Monday with 3,000 books."]
# a page: chrome and short lines, paragraphs, short lines, chrome (the signature and footer shapes)
_PAGE_LINES = st.tuples(*(st.lists(st.sampled_from(pool), max_size=size) for pool, size in (
    (_CHROME_LINES + _SHORT_LINES, 4), (_PARAGRAPHS + _SHORT_LINES, 4), (_SHORT_LINES, 4), (_CHROME_LINES, 2),
))).map(lambda parts: "\n".join(line for part in parts for line in part)).filter(str.strip)


@pytest.mark.parametrize("line_model", [True, False])
@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=_PAGE_LINES)
def test_the_kept_lines_read_again_keep_all_their_lines(line_model, text):
    """The stage on the lines it kept marks none of them: the cleaned text of a page, read
    again, loses nothing more (with and without the line model, which hides some rules)."""
    stage = Boilerplate(Settings(line_model=line_model))
    doc = stage(Document("d", "d.txt", "txt", text))
    kept = "\n".join(text[b.start:b.end] for b in doc.blocks if b.kind != BOILERPLATE and text[b.start:b.end].strip())
    if kept:
        again = stage(Document("d", "d.txt", "txt", kept))
        assert [kept[b.start:b.end] for b in again.blocks if b.kind == BOILERPLATE] == []
