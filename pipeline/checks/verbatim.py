"""What a translation carries over as it is: web addresses, e-mail addresses and codes.

Compared with each segment's aligned source (or the document's source, as the number
checks do), whatever the languages:

- `url-mismatch`: an address in the source that the translation lacks or has altered
  (tongren.gov.cn -> tongren.gov.com), or an address in the translation that the source
  does not have. A scheme and a trailing slash are not part of the comparison, and the
  host is compared in lower case.
- `email-mismatch`: the same for e-mail addresses.
- `code-mismatch`: a code in the source that the translation does not give: a token of
  capital letters and digits (G75, 5A, PM2.5, COVID-19, H1N1), a telephone number
  (0856-5221234, +86 10 6512 3456, (0856) 522 1234), a long run of digits (an ID or an
  account number), or a Chinese document number (铜府发〔2019〕12号, which a translation
  writes "[2019] No. 12"). A code may be written with other separators in the
  translation ("G 75", "5A-level"); its letters and digits may not change. Codes a
  translation adds are not flagged: translators spell out what a source implies.

Measurements (5km, 3rd, 10kg) are not codes: their units are translated, and the number
checks compare their numbers.
"""

from __future__ import annotations

import re

from ..document import Flag
from .catalogue import Check, catalogued
from .context import Context, source_pairs

# -- addresses ----------------------------------------------------------------------------

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Stops an address: white space, quotes, brackets, and CJK text (an address written in a
# Chinese sentence runs straight into the next word).
_URL_STOP = r"\s<>\"'“”‘’()\[\]{}\u3000-\u9fff\uf900-\ufaff\uff00-\uffef"
# Top-level domains that make a bare name an address (tongren.gov.cn). Those that are also
# words of the languages the pipeline meets (in, it, is, be, de, es, to ...) are left out:
# "villages.In" is a missing space, not an address.
_TLDS = ("gov|com|org|net|edu|int|mil|info|biz|cn|hk|tw|mo|jp|kr|uk|fr|eu|ru|br|au|ca|nz|ch|nl|pt|"
         "se|dk|fi|pl|cz|gr|ie|sg|my|vn|th|id|ph|mx|ar|cl|za")
URL = re.compile(rf"(?:(?:https?|ftp)://|www\.)[^{_URL_STOP}]+"
                 rf"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})(?![\w-])(?:/[^{_URL_STOP}]*)?")
_TRAILING = ".,;:!?)"


def addresses(text: str) -> list[tuple[str, int, int]]:
    """The web addresses in `text`: (address, start, end), e-mail addresses left out."""
    blanked = EMAIL.sub(lambda m: " " * len(m.group()), text)
    found = []
    for m in URL.finditer(blanked):
        address = m.group().rstrip(_TRAILING)
        found.append((address, m.start(), m.start() + len(address)))
    return found


def emails(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in EMAIL.finditer(text)]


def url_key(address: str) -> str:
    """What two renderings of one address share: no scheme, no trailing slash, the host
    in lower case (a path's case can matter)."""
    bare = re.sub(r"^(?:https?|ftp)://", "", address, flags=re.I).rstrip("/")
    host, slash, path = bare.partition("/")
    return host.lower() + slash + path


def _compared(source: list[tuple[str, int, int]], target: list[tuple[str, int, int]], key, code: str,
              severity: str, kind: str, target_length: int, scope: str) -> list[Flag]:
    """Flags for the source's items the target lacks and the target's the source lacks;
    one of each, in order, reads as one item altered."""
    source_keys = [key(s[0]) for s in source]
    target_keys = [key(t[0]) for t in target]
    missing = [s for s, k in zip(source, source_keys) if k not in target_keys]
    extra = [t for t, k in zip(target, target_keys) if k not in source_keys]
    flags = []
    for (was, _, _), (now, start, end) in zip(missing, extra):
        flags.append(Flag(code, severity, f"The {kind} {was} in the source reads {now} here{scope}: "
                                          f"copy it from the source.", start, end, suggestion=was))
    for was, _, _ in missing[len(extra):]:
        flags.append(Flag(code, severity, f"The {kind} {was} in the source is missing from the translation{scope}.",
                          0, target_length, suggestion=was))
    for now, start, end in extra[len(missing):]:
        flags.append(Flag(code, severity, f"The {kind} {now} is not in the source{scope}: check where it "
                                          f"comes from.", start, end))
    return flags


# -- codes --------------------------------------------------------------------------------

# Capital letters and digits, both, in one token; separators inside it (G-75, PM2.5, GB/T-7714).
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9]+(?:[-./][A-Z0-9]+)*(?![A-Za-z0-9])")
# Units written in capitals after a number: a measurement (10MW, 3PM), not a code.
_UNITS = {"K", "M", "B", "BN", "T", "W", "V", "KW", "MW", "GW", "TW", "KWH", "MWH", "GWH", "KV", "KB", "MB", "GB",
          "TB", "PB", "HZ", "KHZ", "MHZ", "GHZ", "AM", "PM", "KM", "CM", "MM", "KG", "MG", "L", "ML", "C", "F"}
# A telephone number: groups of digits joined by hyphens or spaces, an area code in
# brackets or a country code with "+"; seven digits at least (checked below).
_PHONE = re.compile(r"(?<![\d.,])(?:\+\d{1,3}[ -]?)?(?:\(\d{2,5}\)[ -]?)?\d{2,5}(?:[ -]\d{2,8}){0,3}(?![\d,]|\.\d)")
_LONG_DIGITS = re.compile(r"(?<![\d.,])\d{9,}[Xx]?(?![\d,]|\.\d)")
# A Chinese document number: (the issuer's abbreviation,) the year in brackets, the number, 号.
_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（]\s*((?:19|20)\d\d)\s*[〕\]］)）]\s*第?\s*(\d{1,5})\s*号")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_code_token(token: str) -> bool:
    letters = re.sub(r"[^A-Z]", "", token)
    if not letters or not re.search(r"\d", token) or len(token) < 2:
        return False
    unit = re.fullmatch(r"[\d.]+([A-Z]+)", token)
    return not (unit and unit.group(1) in _UNITS)


def _is_phone(text: str) -> bool:
    groups = re.findall(r"\d+", text)
    digits = "".join(groups)
    if len(digits) < 7 or len(groups) < 2 and not text.startswith("+"):
        return False
    if not (text.startswith(("+", "(", "0")) or "-" in text):
        return False  # digits grouped by spaces only: a number written in thousands (1 234 567)
    years = [g for g in groups if len(g) == 4 and _YEAR.fullmatch(g)]
    if years and all(len(g) <= 2 or g in years for g in groups):
        return False  # a date or a range of years (2019-10-12, 2016-2020)
    return True


def codes(text: str) -> list[tuple[str, str, int, int]]:
    """The codes in `text`: (as written, kind, start, end), kind "code", "phone",
    "number" or "document number"."""
    found = [(m.group(), "document number", m.start(), m.end()) for m in _DOCUMENT_NUMBER.finditer(text)]
    found += [(m.group(), "code", m.start(), m.end()) for m in _TOKEN.finditer(text) if _is_code_token(m.group())]
    found += [(m.group(), "phone", m.start(), m.end()) for m in _PHONE.finditer(text) if _is_phone(m.group())]
    for m in _LONG_DIGITS.finditer(text):
        if not any(start <= m.start() < end for _, _, start, end in found):
            found.append((m.group(), "number", m.start(), m.end()))
    return found


# Text that may hold an address or a code; most sentences hold none, and are let through.
_MAYBE = re.compile(rf"[@/]|www\.|\d[\d ()+-]{{5,}}\d|[A-Z]\d|\d[A-Z]|\d{{9}}|[a-z0-9]\.(?:{_TLDS})(?![\w-])")


def verbatim_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` holds a web or e-mail address or a code (document numbers aside: their
    year and number are numbers the translation writes as numbers)."""
    if not _MAYBE.search(text):
        return []
    spans = [(start, end) for _, start, end in addresses(text) + emails(text)]
    spans += [(start, end) for _, kind, start, end in codes(text) if kind != "document number"]
    return spans


def masked(text: str) -> str:
    """`text` with its addresses and codes blanked out (offsets kept): what the number and
    pinyin checks read, so a telephone number is not a count and an address is not words."""
    spans = verbatim_spans(text)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _code_pattern(code: str) -> re.Pattern:
    """`code` as a translation may write it: its letter and digit runs in order, any
    separator (or none) between them, and nothing alphanumeric around it."""
    runs = re.findall(r"[A-Za-z]+|\d+", code)
    return re.compile(r"(?<![A-Za-z0-9])" + r"[\s\-–./·]?".join(map(re.escape, runs)) + r"(?![A-Za-z0-9])", re.I)


def _digits_given(digits: str, target: str) -> bool:
    """Whether a run of digits and separators in `target` holds `digits`: a telephone
    number regrouped, or written with a country code instead of its trunk 0
    (0856-5221234 as +86 856 5221234), is still given."""
    national = digits.lstrip("0") or digits
    return any(national in re.sub(r"\D", "", run) for run in re.findall(r"[\d+(][\d\s\-().+/]*", target))


def _document_number_given(year: str, number: str, target: str) -> bool:
    return re.search(rf"[\[(〔［（]\s*{year}\s*[\])〕］）]\s*(?:No\.?|Nr\.?|N[°º]|n[°º]|Number|#)?\s*0*{number}(?!\d)",
                     target, re.I) is not None


def _code_given(code: str, kind: str, target: str) -> bool:
    if kind == "document number":
        year, number = _DOCUMENT_NUMBER.search(code).groups()
        return _document_number_given(year, number, target)
    if kind in ("phone", "number"):
        return _digits_given(re.sub(r"\D", "", code), target)
    return _code_pattern(code).search(target) is not None


_KINDS = {"code": "code", "phone": "telephone number", "number": "number", "document number": "document number"}


def _code_flags(source: str, target: str, scope: str) -> list[Flag]:
    """A flag for each source code the translation does not give: at the translation's
    code of the same kind that the source does not give, when there is one (the code
    altered), else on the whole segment."""
    flags = []
    target_codes = codes(target)
    for kind in _KINDS:
        missing = list(dict.fromkeys(c for c, k, _, _ in codes(source) if k == kind and not _code_given(c, k, target)))
        altered = [(c, start, end) for c, k, start, end in target_codes if k == kind and not _code_given(c, k, source)]
        for n, code in enumerate(missing):
            suggestion = code
            if kind == "document number":
                year, number = _DOCUMENT_NUMBER.search(code).groups()
                suggestion = f"[{year}] No. {number}"
                told = f"The document number {code} is not in the translation{scope}: write it as {suggestion}."
            elif n < len(altered):
                told = f"The {_KINDS[kind]} {code} in the source reads {altered[n][0]} here{scope}: copy it as it is."
            else:
                told = f"The {_KINDS[kind]} {code} in the source is not in the translation{scope}: copy it as it is."
            start, end = altered[n][1:] if n < len(altered) and kind != "document number" else (0, len(target))
            flags.append(Flag("code-mismatch", "warning", told, start, end, suggestion=suggestion))
    return flags


# -- the check ----------------------------------------------------------------------------

@catalogued(
    Check("url-mismatch", "error", "a web address of the source missing or altered in the translation, or one "
          "the source does not have", "source www.tongren.gov.cn, translation www.tongren.gov.com",
          sample=("zh-en.tsv", "详见www.tongren.gov.cn。\tSee www.tongren.gov.com for details.\n")),
    Check("email-mismatch", "error", "an e-mail address of the source missing or altered in the translation, or "
          "one the source does not have", "source tr@163.com, translation tr@136.com",
          sample=("zh-en.tsv", "请联系tr@163.com。\tPlease write to tr@136.com.\n")),
    Check("code-mismatch", "warning", "a code of the source (G75, PM2.5, a telephone number, a document number "
          "such as 铜府发〔2019〕12号) the translation does not give", "source G75, translation G57",
          sample=("zh-en.tsv", "沿G75高速公路行驶。\tDrive along the G57 expressway.\n")),
)
def verbatim_checks(segments, ctx: Context) -> None:
    for pair in source_pairs(segments, ctx.doc):
        source, target = pair.source, pair.target
        flags = (_compared(addresses(source), addresses(target), url_key, "url-mismatch", "error", "address",
                           len(target), pair.scope)
                 + _compared(emails(source), emails(target), str.lower, "email-mismatch", "error",
                             "e-mail address", len(target), pair.scope)
                 + _code_flags(source, target, pair.scope))
        pair.add(flags)
