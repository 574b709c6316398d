"""Addresses and codes a translation must carry over: url-, email- and code-mismatch.

The examples are written for these tests, in the shapes seen on government, news and
airline pages (Chinese, English and French sources)."""

import pytest

from pipeline.checks import source, surface
from pipeline.checks.context import Context
from pipeline.checks.verbatim import addresses, codes, emails, masked, url_key, verbatim_checks
from pipeline.document import Document, Segment


def _flags(source_text, target, source_lang="zh", lang="en"):
    doc = Document("t", "t.tsv", "tsv", target, lang=lang)
    seg = Segment(0, 0, len(target), "body", target, lang=lang, lang_prob=1.0, source=source_text)
    verbatim_checks([seg], Context(doc, lang, source_lang))
    return [(f.code, target[f.start:f.end]) for f in seg.flags]


@pytest.mark.parametrize("text, found", [
    ("详情请登录www.trs.gov.cn查询。", ["www.trs.gov.cn"]),
    ("See https://example.org/reports/2024-annual.", ["https://example.org/reports/2024-annual"]),
    ("Visit tongren.gov.cn, or call.", ["tongren.gov.cn"]),
    ("(see http://www.example.com/a?b=1)", ["http://www.example.com/a?b=1"]),
    ("It was built in the villages.In 2019 it opened.", []),  # a missing space, not an address
    ("e.g. the file report.txt, and Mr.Wang", []),
    ("write to press@example.org today", []),  # an e-mail address is not a web address
])
def test_web_addresses_are_found_in_any_script(text, found):
    assert [a for a, _, _ in addresses(text)] == found


def test_an_address_is_compared_without_its_scheme_trailing_slash_or_host_case():
    assert url_key("https://WWW.Trs.gov.cn/zwgk/") == url_key("www.trs.gov.cn/zwgk") == "www.trs.gov.cn/zwgk"
    assert url_key("example.org/Report") != url_key("example.org/report")  # a path's case can matter


@pytest.mark.parametrize("source_text, target, expected", [
    ("详情请登录www.trs.gov.cn查询。", "For details, visit www.trs.gov.com.", [("url-mismatch", "www.trs.gov.com")]),
    ("详情请登录www.trs.gov.cn查询。", "For details, visit the city's website.", [("url-mismatch", "For details, visit the city's website.")]),
    ("项目总投资12亿元。", "See http://example.com/x for the 1.2 billion yuan.", [("url-mismatch", "http://example.com/x")]),
    ("更多信息见https://www.trs.gov.cn/zwgk/。", "More at www.trs.gov.cn/zwgk.", []),
    ("来信请发送至tongren_fp@163.com。", "Write to tongren_fp@136.com.", [("email-mismatch", "tongren_fp@136.com")]),
    ("Write to Press@Example.org.", "Écrivez à press@example.org.", []),
    ("Write to press@example.org.", "Écrivez-nous.", [("email-mismatch", "Écrivez-nous.")]),
])
def test_addresses_missing_altered_or_added_are_flagged(source_text, target, expected):
    lang = "fr" if "crivez" in target else "en"
    assert _flags(source_text, target, "zh" if not source_text.isascii() else "en", lang) == expected


@pytest.mark.parametrize("text, expected", [
    ("G75兰海高速", [("G75", "code")]),
    ("国家5A级旅游景区，PM2.5浓度", [("5A", "code"), ("PM2.5", "code")]),
    ("COVID-19 and H1N1 cases", [("COVID-19", "code"), ("H1N1", "code")]),
    ("咨询电话：0856-5221234。", [("0856-5221234", "phone")]),
    ("Call +86 10 6512 3456 or (0856) 522 1234.", [("+86 10 6512 3456", "phone"), ("(0856) 522 1234", "phone")]),
    ("身份证号522201199001011234", [("522201199001011234", "number")]),
    ("铜府发〔2019〕12号", [("〔2019〕12号", "document number")]),
    # measurements, ordinals, dates, year ranges and counts are not codes
    ("40MW, 5km, 10kg, 3rd, the 1990s", []),
    ("on 2023-05-12, in 2016-2020, for 1 234 567 people, 293,300 in all", []),
])
def test_codes_are_told_from_measurements_dates_and_counts(text, expected):
    assert [(c, kind) for c, kind, _, _ in codes(text)] == expected


@pytest.mark.parametrize("source_text, target, expected", [
    ("G75兰海高速穿境而过。", "The G57 Lanzhou-Haikou Expressway passes through.", [("code-mismatch", "G57")]),
    ("G75兰海高速穿境而过。", "The G 75 Lanzhou-Haikou Expressway passes through.", []),
    ("梵净山是国家5A级旅游景区。", "Fanjing Mountain is a national 5A-level scenic area.", []),
    ("投诉电话：0856-5223456。", "Complaint hotline: 0856-5223465.", [("code-mismatch", "0856-5223465")]),
    ("投诉电话：0856-5223456。", "Complaint hotline: +86 856 522 3456.", []),
    ("依照国发〔2016〕64号文件精神。", "In the spirit of Guofa [2016] No. 64.", []),
    ("依照国发〔2016〕64号文件精神。", "In the spirit of Guofa (2016) No.64.", []),
    ("依照国发〔2016〕64号文件精神。", "In the spirit of State Council Document No. 46 [2016].",
     [("code-mismatch", "In the spirit of State Council Document No. 46 [2016].")]),
    ("Flight BA2490 leaves at 10:45.", "Le vol BA2409 part à 10 h 45.", [("code-mismatch", "BA2409")]),
    ("The A380 was on display.", "L'A380 était exposé.", []),
    ("The plant produces 40MW.", "La centrale produit 40 mégawatts.", []),
    ("Reopened on 2023-05-12.", "Rouvert le 12 mai 2023.", []),
    ("铜仁市今年完成搬迁。", "This year Tongren completed the COVID-19 relocation.", []),  # codes added: not flagged
])
def test_codes_the_translation_does_not_give_are_flagged(source_text, target, expected):
    lang = "fr" if source_text.isascii() else "en"
    assert _flags(source_text, target, "zh" if not source_text.isascii() else "en", lang) == expected


def test_messages_say_what_to_copy_and_document_numbers_how_to_write_them():
    doc = Document("t", "t.tsv", "tsv", "", lang="en")
    target = "In the spirit of Document No. 46 [2016], call 0856-5223465."
    seg = Segment(0, 0, len(target), "body", target, lang="en", lang_prob=1.0,
                  source="依照国发〔2016〕64号文件精神，电话0856-5223456。")
    verbatim_checks([seg], Context(doc, "en", "zh"))
    messages = sorted(f.message for f in seg.flags)
    assert messages == ["The document number 〔2016〕64号 is not in the translation: write it as [2016] No. 64.",
                        "The telephone number 0856-5223456 in the source reads 0856-5223465 here: copy it as it is."]
    assert all(f.severity == "warning" for f in seg.flags)
    assert sorted(f.suggestion for f in seg.flags) == ["0856-5223456", "[2016] No. 64"]


def test_unaligned_sources_are_compared_document_with_document():
    doc = Document("t", "t.jsonl", "jsonl", "", source="详情请登录www.trs.gov.cn查询。", lang="en")
    segs = [Segment(0, 0, 10, "body", "Visit us.", lang="en", lang_prob=1.0),
            Segment(1, 10, 40, "body", "See www.trs.gov.com for more.", lang="en", lang_prob=1.0)]
    verbatim_checks(segs, Context(doc, "en", "zh"))
    assert [f.code for f in segs[0].flags] == ["url-mismatch"] and "document-level" in segs[0].flags[0].message
    assert (segs[0].flags[0].start, segs[0].flags[0].end) == (0, len(segs[0].cleaned))


def test_addresses_and_codes_are_not_read_as_numbers_or_pinyin():
    assert masked("Call 0856-5221234 or write to fupin@trs.gov.cn.") == "Call " + " " * 12 + " or write to " + " " * 16 + "."
    # before: the telephone digits were counts (number-mismatch), "fupin" pinyin residue
    flags = source.compare("电话0856-5221234。", "Telephone: 0856-5221234.", Context(Document("t", "t", "tsv", ""), "en", "zh"), "")
    assert [f.code for f in flags if f.code == "number-mismatch"] == []
    doc = Document("t", "t.txt", "txt", "", lang="en")
    text = "Letters can be sent to fupin@trs.gov.cn."
    seg = Segment(0, 0, len(text), "body", text, lang="en", lang_prob=1.0)
    assert surface.untranslated(seg, Context(doc, "en")) == []
    pinyin = "Every family got a dibao card from the fupin office."
    seg = Segment(0, 0, len(pinyin), "body", pinyin, lang="en", lang_prob=1.0)
    assert [f.code for f in surface.untranslated(seg, Context(doc, "en"))] == ["untranslated", "untranslated"]


def test_email_addresses_are_found_inside_cjk_text():
    assert [e for e, _, _ in emails("来信请发送至tongren_fp@163.com。")] == ["tongren_fp@163.com"]


def test_each_code_can_be_skipped(tmp_path):
    import json

    from pipeline.run.batch import QUIET, run_batch
    from pipeline.config import Settings

    from ..conftest import FIXTURES

    def run(skip):
        out = tmp_path / "-".join(skip or ["all"])
        run_batch([str(FIXTURES / "bilingual" / "contacts.zh-en.tsv")], out, Settings(skip_checks=tuple(skip)), progress=QUIET)
        return {f["code"] for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()
                for f in json.loads(line)["flags"]}

    assert {"url-mismatch", "email-mismatch", "code-mismatch"} <= run([])
    left = run(["url-mismatch", "email-mismatch"])
    assert "code-mismatch" in left and not {"url-mismatch", "email-mismatch"} & left
