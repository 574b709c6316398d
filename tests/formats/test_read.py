import json

import pytest

from pipeline.document import BOILERPLATE, HEADING
from pipeline.formats.encoding import decode
from pipeline.formats.html import extract_html
from pipeline.formats.read import ReadError, ReadFailure, discover, read_file

from ..conftest import FIXTURES

ZH = "铜仁市全面完成易地扶贫搬迁任务，共搬迁二十九万三千三百人。群众搬进新房，孩子就近入学，就业有了保障。"


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("gb18030", "gb18030"),
])
def test_decode_detects_encodings(encoding, expected):
    text, used, warning = decode((ZH * 3).encode(encoding))
    assert text == ZH * 3
    assert used == expected and warning is None


# Short files in one-byte code pages, which detection alone takes for other code pages
# ("Le dťpartement", "He said ôhelloö"): the decoding that reads as a language wins.
@pytest.mark.parametrize("text, encoding", [
    ("Le département a relogé 300 familles à côté de la rivière.", "latin-1"),
    ("Le département a relogé 300 familles à côté de la rivière. Les habitants ont été consultés pendant des "
     "mois avant le déménagement, a précisé la préfecture.", "cp1252"),
    ("He said “hello” – and left…", "cp1252"),
    ("Price: 12 € for two, “special” offer", "cp1252"),
    ("São Paulo é a maior cidade do Brasil, disse o prefeito à imprensa.", "latin-1"),
    ("Der Bürgermeister eröffnete die neue Brücke über den Fluß.", "latin-1"),
    ("Żółta łódź płynęła po jeziorze, a rybacy łowili ryby przez cały dzień.", "cp1250"),
    ("Городской совет утвердил новый бюджет на следующий год.", "cp1251"),
    ("Η δημοτική αρχή ενέκρινε τον νέο προϋπολογισμό για το επόμενο έτος.", "cp1253"),
    ("Türkiye'nin başkenti Ankara'dır ve nüfusu beş milyonu aşmaktadır.", "cp1254"),
])
def test_short_one_byte_files_read_as_their_language(text, encoding):
    assert decode(text.encode(encoding)).text == text


def test_a_close_choice_of_encoding_is_a_warning_on_the_document(tmp_path):
    assert decode("Le département a relogé 300 familles.".encode("latin-1")).encoding == "cp1252"
    path = tmp_path / "short.txt"
    path.write_bytes("Ask for the dish called ò at the door.".encode("cp1252"))  # cp1250 reads "ň", a Czech word
    doc = next(read_file(path, "short"))
    assert doc.text == "Ask for the dish called ò at the door." and doc.encoding == "cp1252"
    assert len(doc.notes) == 1 and "cp1250 reads almost as well" in doc.notes[0]
    path.write_bytes("Le département a relogé 300 familles à côté de la rivière.".encode("latin-1"))
    assert next(read_file(path, "short")).notes == []  # no other decoding comes near


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text(encoding):
    for text in ("The county built 12 schools.\nThe river rose.", ZH + " 2019"):
        assert decode(text.encode(encoding)) == (text, encoding, None)
    with pytest.raises(ReadError, match="binary"):
        decode(b"\x00\x01\x00\x02" + bytes(range(256)) * 2)  # NULs on both sides: binary


def test_decode_normalises_line_endings():
    assert decode(b"a\r\nb\rc").text == "a\nb\nc"


def test_forced_encoding_wins_and_bad_bytes_are_reported():
    assert decode("é".encode("latin-1"), "latin-1").text == "é"
    with pytest.raises(ReadError, match="not valid utf-8"):
        decode(b"\xff\xfe\xfa", "utf-8")


def test_binary_is_refused():
    with pytest.raises(ReadError, match="binary"):
        decode(bytes(range(256)) * 4)


def test_fixture_files_read_with_their_encodings():
    docs = {p.name: next(read_file(p, p.stem)) for p in discover([FIXTURES]).files}
    assert docs["gb18030_notice.txt"].encoding == "gb18030"
    assert docs["gb18030_notice.txt"].text.startswith("示例县")
    assert docs["utf16_report.txt"].encoding == "utf-16"
    assert "14,019" in docs["utf16_report.txt"].text
    assert isinstance(docs["empty.txt"], ReadFailure) and docs["empty.txt"].reason == "empty file"
    assert isinstance(docs["binary.txt"], ReadFailure) and "binary" in docs["binary.txt"].reason


def test_html_keeps_visible_text_and_marks_chrome():
    text, hints, *_ = extract_html((FIXTURES / "news_page.html").read_text(encoding="utf-8"))
    assert "tracker" not in text and "injected" not in text and ".x {" not in text
    by_text = {text[h.start:h.end]: h for h in hints}
    assert by_text["County opens new resettlement school"].kind == HEADING
    assert by_text["Home"].kind == BOILERPLATE and by_text["Home"].rule == "html:<header>"
    assert by_text["Your current location: Home » News Center » County News"].rule == "html:class=breadcrumb"
    assert by_text["Related Information"].rule == "html:<aside>"
    assert by_text["Contact us: office@example.gov"].rule == "html:<footer>"
    assert all(text[h.start:h.end] == text[h.start:h.end].strip() for h in hints)


def test_html_inline_markup_does_not_split_paragraphs():
    text, hints, *_ = extract_html("<p>One <b>bold</b> and <a href='#'>linked</a> word.<br>Next line</p>")
    assert text == "One bold and linked word.\n\nNext line"
    assert len(hints) == 2


def test_jsonl_bad_lines_fail_alone(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "First document.", "source": "第一。"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "   "}),
        json.dumps(["list"]),
        json.dumps({"id": 7, "text": "Numbered id."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_file(path, "batch"))
    assert [type(i).__name__ for i in items] == ["Document", "ReadFailure", "ReadFailure", "ReadFailure",
                                                 "ReadFailure", "Document"]
    assert items[0].source == "第一。" and items[5].id == "7"
    assert items[1].path.endswith("batch.jsonl:2") and "invalid JSON" in items[1].reason
    assert "missing 'text'" in items[2].reason
    assert "empty" in items[3].reason


def test_unreadable_and_unsupported_files(tmp_path):
    missing = next(read_file(tmp_path / "gone.txt", "gone"))
    assert isinstance(missing, ReadFailure) and "cannot read" in missing.reason
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF")
    assert "unsupported file type" in next(read_file(other, "x")).reason


def test_discover_searches_folders_recursively_in_stable_order():
    names = [p.relative_to(FIXTURES).as_posix() for p in discover([FIXTURES]).files]
    assert names == sorted(names, key=lambda n: n.split("/"))  # by path components
    assert "bad/empty.txt" in names and "news_page.html" in names and "bilingual.jsonl" in names


def test_a_stray_nul_in_an_html_page_is_dropped_but_a_nul_heavy_file_is_binary(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"<html><body><p>The county built roads.\x00</p><p>Schools opened in May.</p></body></html>")
    [doc] = read_file(page, "page")
    assert not isinstance(doc, ReadFailure) and "The county built roads." in doc.text and "\x00" not in doc.text
    heavy = tmp_path / "heavy.html"
    heavy.write_bytes(b"<p>" + b"\x00a" * 200 + b"</p>")
    [failed] = read_file(heavy, "heavy")
    assert isinstance(failed, ReadFailure) and "binary" in failed.reason
    text = tmp_path / "note.txt"  # plain text keeps the strict rule: a NUL there is not a web page's stray byte
    text.write_bytes(b"The county built roads.\x00\n")
    [failed] = read_file(text, "note")
    assert isinstance(failed, ReadFailure) and "binary" in failed.reason


ARTICLE = "".join(f"<p>Paragraph {n} of the article tells how the village built {n} new houses this year.</p>"
                  for n in range(6))


def _kinds(markup):
    text, hints, *_ = extract_html(markup)
    return {text[h.start:h.end]: (h.kind, h.rule) for h in hints}


@pytest.mark.parametrize("page", [
    f'<body class="one-sidebar page-node">{ARTICLE}<div class="sidebar"><p>Other story</p></div></body>',
    f'<body><form id="aspnetForm" method="post"><nav><a>Home</a></nav><div>{ARTICLE}</div></form></body>',
    f'<body><article class="url-breadcrumb">{ARTICLE}</article></body>',
    f'<body><main class="menu-open">{ARTICLE}</main></body>',
    f'<body><div class="l-sidebar-fixed l-article-body">{ARTICLE}</div></body>',
    f'<body><div class="non-ad-column">{ARTICLE}</div></body>',
    f'<body><div class="content has-comments">{ARTICLE}</div></body>',
])
def test_a_container_named_after_chrome_keeps_the_article(page):
    kinds = _kinds(page)
    article = [k for t, k in kinds.items() if t.startswith("Paragraph")]
    assert len(article) == 6 and all(kind != BOILERPLATE for kind, _ in article), kinds


@pytest.mark.parametrize("page, rule", [
    (f'<body>{ARTICLE}<div class="sidebar"><p>Other story</p></div></body>', "html:class=sidebar"),
    (f'<body>{ARTICLE}<div class="site-footer"><p>Other story</p></div></body>', "html:class=footer"),
    (f'<body>{ARTICLE}<div class="share-bar"><p>Other story</p></div></body>', "html:class=share"),
    (f'<body>{ARTICLE}<form class="search"><p>Other story</p></form></body>', "html:<form>"),
    (f'<body>{ARTICLE}<div id="top-ad"><p>Other story</p></div></body>', "html:id=ad"),
])
def test_chrome_beside_the_article_is_still_chrome(page, rule):
    kinds = _kinds(page)
    assert kinds["Other story"] == (BOILERPLATE, rule)
    assert all(kind != BOILERPLATE for t, (kind, _) in kinds.items() if t.startswith("Paragraph"))


def test_blocks_that_are_mostly_links_are_chrome():
    page = (f'<body><h1><a href="/this">The village opens its library</a></h1>{ARTICLE}'
            '<p>Read the <a href="/report">full report</a> of the county office on the new houses and roads.</p>'
            '<ul><li><a href="/contact">Contact</a></li><li><a href="/events">All events</a></li></ul>'
            '<h3><a href="/other">Another town builds a bridge over the river</a></h3></body>')
    kinds = _kinds(page)
    assert kinds["Contact"] == (BOILERPLATE, "html:links") and kinds["All events"] == (BOILERPLATE, "html:links")
    assert kinds["Another town builds a bridge over the river"] == (BOILERPLATE, "html:links")
    assert kinds["The village opens its library"][0] == HEADING  # the page's own title, linked to itself
    assert kinds["Read the full report of the county office on the new houses and roads."][0] != BOILERPLATE


LONG_ARTICLE = "".join(f"<p>Paragraph {n} of the article tells how the village of Heping built {n} new houses for "
                       "the families who moved down from the mountains this year.</p>" for n in range(8))


def test_blocks_outside_the_extractors_main_text_are_chrome():
    page = (f"<html><body><div class='content'><h1>Heping builds houses</h1>{LONG_ARTICLE}</div>"
            "<div class='box'><div>Win a trip to Paris with our quiz</div><div>Top deals this week on phones</div>"
            "</div></body></html>")
    kinds = _kinds(page)
    assert kinds["Win a trip to Paris with our quiz"] == (BOILERPLATE, "html:not-main-text")
    assert kinds["Heping builds houses"][0] == HEADING
    assert all(kind != BOILERPLATE for t, (kind, _) in kinds.items() if t.startswith("Paragraph"))


def test_the_main_text_signal_asks_for_the_words_in_order_and_says_nothing_without_one():
    from pipeline.formats.html import _MainText
    main = _MainText("The village built 12 new houses.\n\nFamilies moved in during May.")
    assert main.holds("the village built 12 new houses") and main.holds("Families moved in, during May!")
    assert not main.holds("houses new 12 built village the") and not main.holds("Win a trip to Paris")
    assert _MainText(None).holds("anything at all") and _MainText("").holds("anything at all")


def test_page_prefixed_chrome_names_are_chrome():
    from pipeline.formats.html import _chrome_word
    assert _chrome_word("page-footer") == "footer" and _chrome_word("page-sidebar") == "sidebar"
    assert _chrome_word("page-content") is None and _chrome_word("l-sidebar-fixed") is None


def test_html_nested_past_the_parser_limit_is_read_whole():
    # libxml2 stops at 256 levels and keeps only the text before; the page is read again flattened
    deep = ("<html><body><p>Before the nest, the county opened a road.</p>" + "<div class='x'><span>" * 5000
            + "<p>Inside the nest, the villagers moved in.</p>" + "</span></div>" * 5000
            + "<p>After the nest, the school opened.</p></body></html>")
    text, hints, notes, _ = extract_html(deep)
    assert "Before the nest" in text and "Inside the nest" in text and "After the nest" in text
    assert len(notes) == 1 and "more than 256 deep" in notes[0]
    shallow = extract_html("<div>" * 200 + "<p>Two hundred deep is fine.</p>" + "</div>" * 200)
    shallow_text, shallow_notes = shallow.text, shallow.notes
    assert "Two hundred deep is fine." in shallow_text and shallow_notes == []


def test_html_too_deep_even_flattened_fails_alone_with_a_reason(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<p>Start.</p>" + "<q>" * 3000 + "deep" + "</q>" * 3000, encoding="utf-8")
    [failure] = list(read_file(path, "deep"))
    assert isinstance(failure, ReadFailure) and "nested more than 256 elements deep" in failure.reason
