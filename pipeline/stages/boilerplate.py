"""Boilerplate stage: split the document into blocks and mark web chrome and headings.

Reads: `Document.text`, `Document.hints` (HTML structure from the reader).
Writes: `Document.blocks`, each with a kind ("body", "heading", "boilerplate") and
the rule that decided it (`kind_rule` in the output). Nothing is deleted: chrome is
kept in segments.jsonl and only left out of the cleaned text.

Plain text is split into blocks at line breaks (news sites put one paragraph per
line). Each block is tested against named patterns for page furniture: breadcrumbs,
font-size and print widgets, previous/next links, "Related ..." link lists,
bylines and metadata fields, photo credits, image file names, date lines, reading
times, skip links, newsletter and advertisement labels, repost notes, site names,
footers and markup residue; the short lines closing a notice after its last paragraph,
ending in a date, are its signature. Each pattern is a shape (a short line led by "By", a date
with little around it), in the languages the pipeline meets, not a site's wording.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from operator import itemgetter

from ..config import Settings, SettingsError
from ..document import BODY, BOILERPLATE, HEADING, Block, Document, reads_as_paragraph
from ..language.pinyin import is_pinyin
from ..text.lines import (DATE, DAY_OF_MONTH, ENDS_LIKE_SENTENCE, NAVIGATION, WEIGHTS_FILE, WORD, LineModel,
                          common_words, ends_with_another, has_date_or_time, has_day, is_bracketed, is_name_alone,
                          is_press_name, language_names, line_features, normal_form, scripts, titles_by_first_word,
                          without_credit_verb)
from ..text.spans import GLUED_WORDS, LOWER_UPPER


def _rx(*alternatives: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


_SEP = r"(?:»|>>|>|›|→|/|\|)"
# A date field: "date 2022-07", "Published: 2024-09-19", "Date de publication : 7 juillet 2017".
DATE_FIELD = (r"^\s*(?:(?:last )?updated|published|posted|date(?: de publication)?|publié le|mis à jour(?: le)?|"
              r"datum|veröffentlicht(?: am)?|fecha(?: de publicación)?|publicado|data)\s*[:：]?\s*" + DATE)
# A date field run into the paragraph after it: "date 2022-07 Am 26. Juli fand ..." (a
# paragraph: eight words or more follow; "Updated: 2020-01-15 China · Yunnan" is one line).
LEADING_DATE_FIELD = re.compile(DATE_FIELD + r"(?=\s+(?-i:[A-ZÀ-Þ])[^\W\d_]+(?:(?:\s+\S+){7}|[^.!?]*[.!?]\s*$))",
                                re.IGNORECASE)
# An image's file name before its caption: "village_305.jpg Villagers at the gate ..."
LEADING_IMAGE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp|tiff?)(?=\s+\S)", re.IGNORECASE)
# A label of up to five words and its colon: "Release time:", "Erstellt am:", "Heure de mise en ligne :".
_LABEL = r"[^\W\d_][^\W\d_'’-]*(?:[ '’-][^\W\d_]+){0,4}\s?[:：]\s*"
# A counter: "Hits: 271", "Views (1064)", "Number of views:271", "Hits ( )".
_COUNTER = (r"\b(?:hits|views|clicks|visits|reads|number of (?:views|visits|clicks)|page ?views|aufrufe|zugriffe|"
            r"vues|lectures|visitas|lecturas|visualizaciones|visualizações|浏览(?:次数|量)?|阅读|点击)\s*"
            r"(?:[:：]\s*\d+|[(（]\s*\d*\s*[)）]|\d+)")
# A word of a font-size switcher, in the languages the pipeline meets.
_SIZE = r"(?:big|large|middle|medium|small|default|groß|gross|mittel|klein|grand|moyen|petit|grande|mediano|pequeño|大|中|小)"
# A repost note inside a paragraph, after a sentence: "... lamps. Original title: Patrol sword ... county. The ..."
INLINE_REPOST_NOTE = re.compile(
    r"(?<=[.!?。！？\"”])\s*[(（]?\s*(?:original title|titre original|originaltitel|título original|原标题)\s*[:：]"
    r"[^.!?。！？()（）]{1,200}[.!?。！？]?[)）]?(?=\s|$)", re.IGNORECASE)
# (rule name, pattern searched in the block, max words for the block to qualify)
BLOCK_RULES: list[tuple[str, re.Pattern, int]] = [
    ("breadcrumb", _rx(
        r"^\s*(?:your |you are )?(?:current )?(?:location|position|here)\s*[:：]",
        r"^\s*you are here\b",
        r"^\s*(?:home|homepage|accueil|inicio|início|startseite|首页)\s*" + _SEP,
        # the home page and a section or two, then a ">" ("home page project >Body"); not "/", which joins words
        r"^\s*(?:home(?:\s?page)?|accueil|inicio|início|startseite)(?:\s+[^\W\d_]+){0,2}\s*(?:»|>>|>|›|→)",
        r"^[^.!?]*\s" + _SEP + r"\s[^.!?]*\s" + _SEP + r"\s[^.!?]*$",
        r"^\s*当前位置",
    ), 30),
    ("widget", _rx(
        r"\bfont(?: size)?\s*[:：]?\s*(?:small|medium|large|big|default)\b",
        r"\bprint (?:this )?(?:page|article)\b", r"\bclose (?:this )?(?:page|window)\b",
        r"^\s*share(?: to| this(?: article| page)?| on)?\s*[:：]?\s*$", r"\bclicks?\s*[:：]",
        r"^\s*leave a (?:reply|comment)\b", r"\byour email address will not be published\b",
        r"\brequired fields are marked\b", r"\bback to top\b",
        r"^\s*(?:tags?|keywords?|schlagwörter|schlagworte|stichwörter|stichworte|mots[- ]clés|étiquettes|"
        r"etiquetas|palabras clave|temas|themen|标签|关键词)\s*[:：]",
        r"^\s*(?:imprimer|partager|drucken|teilen|compartir|imprimir|compartilhar|condividi|stampa)\s*$",
        r"\b(?:imprimer|partager)\b\s*$", r"^\s*字号", r"^\s*【?打印", r"^\s*\[?\s*(?:print|close|top)\s*\]?\s*$",
        # a font-size switcher ("Size:【 Big Middle Small 】"), a share or bookmark button ("Share on WhatsApp", "Add to favorites"), a weather box
        r"\b" + _SIZE + r"\W{1,4}" + _SIZE + r"\W{1,4}" + _SIZE + r"(?!\w)",
        r"^\s*(?:share|teilen|partager|compartir|compartilhar)\s*(?:on|to|via|with|auf|über|sur|par|en|por|no|[-–:：])"
        r"\s*[^\W\d_]+(?:\s+[^\W\d_]+)?\s*$",
        r"\b(?:add to (?:my )?(?:favou?rites|bookmarks)|set as (?:my )?home ?page|zu (?:den )?favoriten|"
        r"ajouter (?:aux|à mes) favoris|añadir a (?:mis )?favoritos)\b|加入收藏|设为首页",
        r"\b(?:temperature|weather|wetter|temperatur|météo|température|clima|tiempo|temperatura)\s*[:：]?\s*-?\d+\s*(?:℃|°)",
        r"^\s*video ?player\b",
    ), 12),  # widgets are a few words; a sentence about printing a page is not one
    ("previous-next", _rx(
        r"^\s*(?:previous|prev|next|last)(?: (?:article|post|page|item|piece|story))?\s*[:：]",
        r"^\s*(?:article (?:précédent|suivant)|anterior|siguiente|vorherige[rs]?|nächste[rs]?)\s*[:：]",
        r"^\s*(?:上一篇|下一篇)",
    ), 30),
    ("byline", _rx(
        r"^\s*(?:[•·▪◦●■□\-–*]\s*)?\(?\s*(?:source|sources|author|authors|editor|editors|responsible editor|reporter|reporters|"
        r"correspondent|published|posted|posting date|release date|publish date|date|time|updated|"
        r"issuing agency|publisher|index|information category|category|symbol|document number|"
        r"is it effective|message name|views|hits|source of information|photographer|translator)\s*[:：]",
        r"^[^.!?]{0,80}\b(?:all[- ]media )?(?:reporters?|correspondents?|correspondant(?:e|s|es)?|"
        r"corresponsal(?:es)?|correspondente?s?|korrespondent(?:in|en)?|envoyée? spéciale?)\b[^.!?]*$",
        r"^\s*(?:dernière mise à jour|mis à jour|publié le|última actualización|actualizado|atualizado|aktualisiert)\b",
        r"^\s*\(\s*(?:photo|photos|foto|image|source)\s*[/:：]", r"^\s*(?:photo|photos|image)\s*[/:：]",
        r"^\s*\[[^\]]{1,80}\]\s*$",
        r"^\s*(?:来源|作者|编辑|责任编辑|发布时间|发布日期)\s*[:：]",
        # the same fields after another on the line: "From;    Author:Stand originally"
        r"^[^.!?]{0,40}[;|·]\s*(?:source|author|editor|reporter|photographer|translator|publisher)\s*[:：]",
        # a byline cut from its sentence: "writes Liu Lingling of People's Daily."
        r"^\s*(?:writes|reports|schreibt|berichtet|écrit|rapporte|escribe|informa)\s+(?-i:[A-ZÀ-Þ])[^.!?]{0,40}"
        r"\s(?:of|for|von|de|du|del|da)\s(?-i:[A-ZÀ-Þ])[^.!?]{0,40}[.!?]?$",
    ), 30),
    # Photo credits: "Li Ming Photo", "Photographed by Li Ming, reporter of ...", "(Xinhua
    # Photo/Li Ming)", "REUTERS/Jane Doe", "AFP / Getty Images", "(file photo)", "Foto: dpa".
    ("photo-credit", _rx(
        r"^\(?\s*(?:(?-i:[A-Z])[\w.'’-]*\s+){1,3}(?:photos?|pictures?|foto)\s*\)?$",
        r"^\(?\s*(?:photo(?:graph)?(?:ed|s)?|pictured?|images?|fotos?|bild|crédit photo)(?:\s+(?:by|de|von|par|via)\s|\s*[:：])",
        # an agency in capitals or a photo word, a slash, a name: "AP Photo/Ng Han Guan", "REUTERS/Stringer"
        r"^\(?\s*(?:[\w.'’-]+\s+){0,3}(?:photos?|fotos?|images?|(?-i:[A-Z]{2,}))\s*/\s*[\w.'’ -]{2,40}\)?$",
        # a picture's label alone, in English or as machine translation renders 资料图: "(file photo)", "Data Map:"
        r"^\(?\s*(?:data|file|archive|archives?|stock|information)\s+(?:pictures?|photos?|images?|maps?)\s*[:：]?\s*\)?$",
        r"^\(?\s*(?:photos?|pictures?|images?|fotos?)\s+(?:courtesy of|provided by|supplied by|mit freundlicher)\b",
        # a bracketed credit alone: "(Text by Xinhua; Photos from Yunnan Daily)", "(Information picture) Li Ming"
        r"^\s*[(（]\s*(?:text|words|photos?|pictures?|reporting|written|edited|report)\s+(?:by|from)\b[^()（）]*[)）]\s*$",
        r"^\s*[(（]\s*(?:\w+\s+)?(?:pictures?|photos?|images?)\s*[)）]\s*(?:(?-i:[A-Z])[\w.'’-]*\s*){0,3}$",
    ), 14),
    # two section names: "Business / Economy", "Politik > Ausland" (each capitalised, at most
    # three words; after the photo credits, which "AFP / Getty Images" also is)
    ("breadcrumb", _rx(
        r"^(?-i:[A-ZÀ-Þ])[^\W\d_]*(?:\s[^\W\d_]+){0,2}\s" + _SEP + r"\s(?-i:[A-ZÀ-Þ])[^\W\d_]*(?:\s[^\W\d_]+){0,2}$",
    ), 6),
    ("image-file", _rx(r"^\S+\.(?:jpe?g|png|gif|webp|bmp|tiff?)$"), 2),
    # "By Jane Doe", "By A and B in Kunming", "Par Jeanne Dupont", "Von Hans Meier": a name
    # line, not a sentence ("By Monday, the road had opened." ends like one).
    ("byline", _rx(
        r"^\s*(?:by|par|von|por|di)\s+(?!(?:the|a|an|le|la|les|der|die|das|el|los)\b)(?-i:[A-ZÀ-Þ])(?:[^.!?]|[.!?](?=\S))*$",
        # a byline widget left empty ("Posted by"), or a user name ("By yqqlm yqqlm")
        r"^\s*(?:posted|written|published|reported|geschrieben|publié|publicado)?\s*(?:by|von|par|por)\s*[:：]?\s*$",
        r"^\s*by\s+(?!(?:the|a|an|then|now|far|way|means|contrast|comparison|default|chance|car|bus|train|"
        r"air|sea|hand|law|night|day|noon|mid\w*|end|\d+\w*)\b)(?!\d)\w+(?:\s+(?!\d)\w+)?\s*$",
    ), 20),
    # a paper's, an agency's or a broadcaster's name alone, maybe bracketed or with a verb of
    # credit: "Global Times", "( Xinhua)", "Xinhua News Agency published" (`lines.is_press_name`)
    ("source-credit", _rx(
        r"^\s*[(（]\s*(?-i:[A-Z])[\w.&'’-]*(?:\s+[\w.&'’-]+){0,3}\s*[)）]\s*$",
    ), 5),
    # A date field ("date 2022-07", "Date de publication : 7 juillet 2017", "Last updated:
    # 2024/09/19, <the title>"), or a date with at most two words after it ("2022-05-27 0 By").
    ("dateline", re.compile(DATE_FIELD + r"|^\s*" + DATE + r"(?:[\s,|·]+[^\s.!?]+){0,2}\s*$", re.IGNORECASE), 12),
    # the other shapes of a date line, whatever its words: a label and a date ("Release
    # time:Apr 14, 2024 15:04 PM"), a name and a date ("China Daily 2023-03-02 10:54"), a
    # date field after a separator ("Acme Co.,Ltd | Updated: Nov 05, 2018"), a date and a
    # row of links ("22. 08. 2012 Druckversion | Artikel versenden"), a date and a counter
    ("dateline", re.compile(
        r"^\W{0,2}" + _LABEL + DATE + r"\s*(?:$|[|·•]|[^\W\d_]+(?:\s[^\W\d_]+)?\s?[:：])"
        + r"|^(?-i:[A-ZÀ-Þ])[\w.&'’-]*,?\s+(?:(?:(?-i:[A-ZÀ-Þ])[\w.&'’-]*|de|del|la|le|of|the|von|der|du|des|di|da),?\s+){0,4}"
        + DATE + r"\s*$"
        + r"|[|·•]\s*" + _LABEL + DATE
        + r"|^\s*" + DATE + r"[^.!?]*\|"
        + r"|^\s*" + DATE + r"[^.!?]{0,30}" + _COUNTER, re.IGNORECASE), 12),
    ("counter", re.compile(r"^\s*" + _COUNTER + r"\s*$", re.IGNORECASE), 4),
    ("reading-time", _rx(
        r"^\s*\d{1,3}\s*(?:min(?:ute)?s?\.?|mn)\s*(?:read|reading|de lecture|de lectura|de leitura|lesezeit)\s*$",
        r"^\s*(?:reading time|temps de lecture|tiempo de lectura|lesezeit|lesedauer)\s*[:：]?\s*\d{1,3}\s*min",
    ), 6),
    ("skip-link", _rx(
        r"^\s*(?:skip|jump) to (?:the )?(?:main )?(?:content|navigation|search|article)\s*$",
        r"^\s*(?:accéder|aller|passer) (?:au|directement au) contenu(?: principal)?\s*$",
        r"^\s*zum (?:haupt)?inhalt(?: springen| wechseln)?\s*$", r"^\s*(?:saltar|ir) al contenido(?: principal)?\s*$",
        r"^\s*(?:ir|saltar) para o conteúdo(?: principal)?\s*$",
    ), 6),
    ("newsletter", _rx(
        r"^\s*newsletter(?:\b|(?-i:[A-Z]))", r"^\s*(?:join|sign up (?:for|to)|subscribe to|get) (?:our|the) (?:free )?"
        r"(?:daily |weekly )?(?:e-?mail )?newsletters?\b",
        r"^\s*(?:s'abonner|abonnez-vous|inscrivez-vous|newsletter abonnieren|jetzt abonnieren|suscríbete|"
        r"inscreva-se|assine)\b",
        # a subscription prompt: "Subscribe now to our print edition", "Zum Newsletter anmelden"
        r"^\s*subscribe(?: now)? (?:to|for)\b", r"^(?:\S+\s+){0,3}newsletters?(?:\s+\S+){0,3}\s*$",
    ), 16),
    # the consent note under a newsletter form: "We use your sign-up to provide content in
    # ways you have consented to ...", "You can unsubscribe at any time."
    ("newsletter", _rx(
        r"\b(?:we use your (?:sign-?up|registration|e-?mail)|wir verwenden ihre (?:anmeldung|e-mail)|"
        r"nous utilisons votre (?:inscription|adresse)|utilizamos (?:tu|su) (?:registro|correo))\b",
        r"\b(?:unsubscribe at any time|jederzeit (?:wieder )?abmelden|vous désabonner à tout moment|"
        r"darte de baja en cualquier momento|cancelar (?:a )?(?:sua )?inscrição a qualquer momento)\b",
    ), 30),
    # the comment count or prompt under an article: "No comments", "3 Kommentare", "Aucun commentaire"
    ("comments", _rx(
        r"^\s*(?:no|\d+|one|keine|\d+ ?x?|aucun|sin|sem|nessun)\s+(?:comments?|kommentare?|commentaires?|"
        r"comentarios?|comentários?|commenti?)\s*$",
    ), 3),
    # a label standing for a widget: "Search", "Suche", "Table of contents", "Sommaire"
    ("widget", _rx(
        r"^\s*(?:search|suche|suchen|recherche|rechercher|buscar|búsqueda|pesquisar|cerca)\s*$",
        r"^\s*(?:table of contents|contents|inhaltsverzeichnis|inhalt|sommaire|table des matières|índice|"
        r"contenidos?|sumário|indice)\s*$",
    ), 3),
    ("advertisement", _rx(
        r"^\s*(?:advertisement|advertising|sponsored(?: content)?|publicité|anzeige|werbung|publicidad|"
        r"publicidade|pubblicità)\s*$",
    ), 2),
    # A reposted article's note of where it came from: "(Original title: ...)", "原标题：".
    ("repost-note", _rx(
        r"^\s*[(（]?\s*(?:original title|originally published|titre original|originaltitel|título original|原标题)\s*[:：]",
    ), 30),
    # a link to another article ("Related: Rural residents start to feel urban buzz"), a
    # series note ("This article is the first in a series about ..."), a special topic
    ("related-link", _rx(
        r"^\s*(?:related(?: (?:article|story|news|link))?|see also|read more|read also|also read|more|lire aussi|"
        r"à lire aussi|voir aussi|lesen sie auch|siehe auch|mehr dazu|ver también|lea también|leia também|"
        r"veja também)\s*[:：]\s*\S",
    ), 24),
    ("series-note", _rx(
        r"^\s*this (?:article|story|report|piece|post|is) (?:is )?(?:the )?(?:\w+ )?(?:part |installment |article )?"
        r"(?:in|of) (?:a|an|our|the)\b[^.!?]{0,40}\bseries\b",
        r"^\s*(?:this is )?part \w+ of (?:a|an|our|the)\b[^.!?]{0,40}\bseries\b",
        r"^\s*(?:dieser (?:artikel|beitrag|text) ist teil (?:der|einer|unserer) (?:\w+)?serie|"
        r"cet article fait partie (?:d'une|de la|de notre) série|este artículo (?:es parte|forma parte) de (?:una|la|nuestra) serie)",
        r"^\s*special (?:topics?|reports?|coverage|features?|series)\b(?:\s*(?:on|about|[:：])|\s*$)",
    ), 30),
    ("site-name", _rx(
        r"^[^.!?:]{0,80}\b(?:website|web site|web portal|portal|government network|government net|official site)\s*$",
    ), 8),
    ("footer", _rx(
        r"copyright|©|all rights reserved|\bICP\b|备案|\bcontact us\b|\bsponsored by\b|\bhosted by\b|"
        r"\btechnical support\b|\bterms of use\b|\bprivacy policy\b|\bsitemap\b|"
        # the legal pages' links in the other languages: imprint, data protection, terms
        r"^\s*(?:impressum|datenschutz(?:erklärung)?|nutzungsbedingungen|agb|mentions légales|"
        r"politique de confidentialité|aviso legal|política de privacidad|política de privacidade|"
        r"termos de uso|note legali)\s*$",
    ), 30),
]
RELATED_HEADER = _rx(
    r"^\s*(?:related (?:information|news|articles|links|reading|stories|content|posts)|see also|more news|"
    r"more (?:on|about) this (?:topic|story)|you (?:may|might) also like|most (?:read|popular|viewed|commented|discussed)|"
    r"meist[- ]?(?:gelesen|diskutiert|kommentiert)|les plus (?:commentés|partagés)|más (?:comentad|compartid)[oa]s|"
    r"more information|weitere informationen|plus d'informations|más información|mais informações|"
    r"recommended(?: reading| for you)?|read more|read also|also read|"
    r"articles? connexes?|sur le même sujet|à lire aussi|lire aussi|vous aimerez aussi|les plus lus|"
    r"noticias relacionadas|notícias relacionadas|te puede interesar|lo más leído|leia também|"
    r"verwandte artikel|ähnliche (?:artikel|beiträge|themen)|mehr zum thema|weiterführende links|"
    r"das könnte sie auch interessieren|auch interessant|lesen sie auch|meist gelesen|"
    r"相关(?:信息|新闻|文章|链接))\s*[:：]?\s*$"
)
# A credit or byline at the end of a paragraph: "(Photo / Xinhua)", "(author: ...)",
# "[Chen Yalin/For China Daily]". It becomes a boilerplate block of its own.
TRAILING_CREDIT = re.compile(
    r"(?:(?<=[.!?。！？\"”])|(?<=[.!?。！？\"”]\s))\s*"
    r"(?:[(（\[【]\s*(?:photo|photos|foto|image|picture|author|authors|source|reporter|reporters|editor|by|"
    r"text|writer|图|摄影|作者|来源|记者|编辑)\b[^()（）\[\]【】]{0,80}[)）\]】]"
    r"|\[[^\[\]/]{2,40}/\s*(?:for\s+)?[A-Z][^\[\]]{1,40}\])\s*$",
    re.IGNORECASE,
)
LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦●■□\-–*]|\d{1,2}[.)])\s+|\d{4}-\d{1,2}-\d{1,2}\d*\s*$")
LETTER = re.compile(r"[^\W\d_]")
SENTENCE_END = re.compile(r"[.!?。！？]\s+\S")


def split_lines(text: str) -> list[Block]:
    """One Block per non-blank line, trimmed of surrounding white space."""
    blocks = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        if body:
            start = m.start() + lead
            blocks.append(Block(start, start + len(body)))
    return blocks


GLUED = re.compile(GLUED_WORDS)
SPACED_PUNCT = re.compile(r"\s+([,.;:!?])")
SPACES = re.compile(r"\s+")
HAS_LOWER_UPPER = re.compile(LOWER_UPPER)


def canonical(text: str) -> str:
    """The block as the punctuation stage will leave it, for matching: words run
    together are split and spaces before punctuation dropped, so a block is classified
    the same before and after cleaning (and a re-run keeps what the first run kept).
    White space runs count as one space."""
    text = SPACES.sub(" ", text)
    if HAS_LOWER_UPPER.search(text):  # GLUED tries every letter; most blocks have no "aB" at all
        text = GLUED.sub(r"\1 \2", text)
    return SPACED_PUNCT.sub(r"\1", text)


MOST_WORDS = max(max_words for _, _, max_words in BLOCK_RULES)


def _fewest_words(text: str) -> int:
    """How few words `canonical(text)` can have: it splits words run together and drops
    the space before punctuation, so a piece that starts with punctuation may join the
    word before it."""
    pieces = text.split()
    return len(pieces) - sum(map(",.;:!?".__contains__, map(itemgetter(0), pieces)))


def classify(text: str) -> str | None:
    """The boilerplate rule that matches one block's text, or None."""
    if _fewest_words(text) > MOST_WORDS and LETTER.search(text):
        return None  # a paragraph too long for any rule: most of an article
    text = canonical(text)
    if not LETTER.search(text):
        return "no-text"
    words = len(text.split())
    digits = DIGIT.search(text) is not None
    for name, pattern, max_words in BLOCK_RULES:
        if words <= max_words and (digits or name not in DIGIT_RULES) and pattern.search(text):
            return name
    found = WORD.findall(text)
    if words <= PRESS_NAME_WORDS and is_name_alone(without_credit_verb(found), text) and is_press_name(
            [w.lower() for w in found], text):
        return "source-credit"
    if words <= WIDGET_WORDS and _is_widget_row(text, found):
        return "widget"
    if words <= SWITCHER_WORDS and language_names(text) >= SWITCHER_LANGUAGES:
        return "widget"
    if 2 <= words <= NAMES_WORDS and _is_chinese_names(text):
        return "byline"
    if digits and _is_agency_dateline(text):
        return "dateline"
    return None


# The fields an agency's dateline opens with: "Lvliang, China News Network, October 19, by
# wire, Title: ...", "Kunming, Oct. 3 (Xinhua)".
DATELINE_FIELDS = 4
_FIELD_BREAK = re.compile(r"\s*[,，(（)）]\s*")


def _is_agency_dateline(text: str) -> bool:
    """A line opening with a place, a paper's or an agency's name and the day, in fields
    apart by commas or brackets, and holding no sentence: the dateline of a wire story
    ("Lvliang, China News Network, October 19, by wire"). With a sentence after it
    ("Kunming, Oct. 3 (Xinhua) -- The ...") the line is the article's lead."""
    if ENDS_LIKE_SENTENCE.search(text):
        return False
    place, *fields = [f for f in _FIELD_BREAK.split(text.strip(), maxsplit=DATELINE_FIELDS)[:DATELINE_FIELDS] if f]
    return (len(place.split()) <= 3 and is_name_alone(WORD.findall(place), place) and not _is_press(place)
            and any(DAY_OF_MONTH.fullmatch(f) or has_date_or_time(f) and len(f.split()) <= 3 for f in fields)
            and any(_is_press(f) and is_name_alone(WORD.findall(f), f) for f in fields))


def _is_press(text: str) -> bool:
    return is_press_name([w.lower() for w in WORD.findall(text)], text)


# A byline of Chinese names alone ("Li Lan and Gao Lizhen") is at most this long.
NAMES_WORDS = 12


_NAME_LIST = re.compile(r"\s*(?:,|、|\band\b|\bund\b|\bet\b|\by\b)\s*")


def _is_chinese_names(text: str) -> bool:
    """A line of Chinese personal names alone, in pinyin, joined by "and" or commas:
    "Li Lan and Gao Lizhen", "Wu Wei, Zhang Dan". Each name is a surname of one syllable
    and a given name of one or two words; place names ("Guiyang and Tongren") are one word,
    and a title has other words in it."""
    if not text[:1].isupper() or ENDS_LIKE_SENTENCE.search(text):
        return False
    names = [name.split() for name in _NAME_LIST.split(text.strip()) if name.strip()]
    return bool(names) and all(
        2 <= len(name) <= 3 and len(name[0]) <= 6
        and all(w[0].isupper() and w[1:].islower() and is_pinyin(w.lower()) for w in name) for name in names)


# Rules every match of which holds a digit (a date, a count): skipped on a line without one,
# most lines, as their searches are the costliest (`test_digit_rules_need_a_digit`).
DIGIT_RULES = {"dateline", "reading-time"}
DIGIT = re.compile(r"\d")
# A paper's or an agency's name alone on its line is at most this long ("Xinhua News Agency published").
PRESS_NAME_WORDS = 5
# A row of widget labels ("Share this with Close", "Messenger Pinterest LinkedIn") is at most this long.
WIDGET_WORDS = 8
# A short line naming this many languages, run together or not, is a language switcher
# ("한어Русский языкEnglishFrançais"), at most this long.
SWITCHER_LANGUAGES, SWITCHER_WORDS = 3, 12
_WORD_PARTS = re.compile(r"[A-ZÀ-Þ]?[a-zß-ÿ]+|[^\W\d_]+")  # "PlayerClose" is two words


def _is_widget_row(text: str, found: list[str]) -> bool:
    """A short line (its words `found`) whose words, the commonest words of the languages
    aside, are mostly the labels of navigation and sharing buttons: two of them at least,
    and two thirds."""
    # a label run into the next ("PlayerClose") is two words; a name written so ("WhatsApp") one
    words = [part for word in found
             for part in ([word.lower()] if word.lower() in NAVIGATION else map(str.lower, _WORD_PARTS.findall(word)))]
    if len(words) < 2 or ENDS_LIKE_SENTENCE.search(text):
        return False
    common = common_words()
    labels = sum(w in NAVIGATION for w in words)
    others = sum(w not in NAVIGATION and w not in common for w in words)
    return labels >= 2 and labels >= 2 * others



def looks_like_heading(text: str) -> bool:
    """A short single-line block with no sentence punctuation, starting like a title."""
    words = text.split()
    return (
        1 <= len(words) <= 16
        and not text.rstrip().endswith((".", ",", ";", ":", "，", "。", "；", "：", "…"))
        and not SENTENCE_END.search(text)
        and (text[0].isupper() or text[0].isdigit() or text[0] in "\"“«'‘")
    )


# "Author: Li Ming", "Lieferzeit: 15 - 21 Tage": a field and a short value.
_FIELD = re.compile(r"^[^:：]{1,30}[:：]\s*\S+(?:\s+\S+){0,3}$")
# "News | Sport | Weather", "Home · About": a row of links.
_LINK_ROW = re.compile(r"(?:\s[|•·/›»]\s.*){1,}")


def reads_as_title(text: str) -> bool:
    """Whether a short line reads as a title wherever it stands: three words or more, not a
    field and its value, not a row of links. A one- or two-word line ("Kontakt", "Mein
    Konto") is a heading only right above article text (`_titles`): elsewhere it is a menu
    entry or a label, and stays a plain line."""
    return len(text.split()) >= 3 and not _FIELD.match(text.strip()) and not _LINK_ROW.search(text)


# A block of this many words or more, ending like a sentence, is article text: it decides
# the class of the short blocks around it (`_between_chrome`).
LONG_BLOCK_WORDS = 12


# A headline stands a few blocks above its article, not counting the byline, date and
# other chrome between.
HEADLINE_REACH = 3


def _between_chrome(text: str, blocks: list[Block]) -> None:
    """Short blocks among chrome are chrome: the menu entries, section labels and teaser
    titles among a page's furniture. A short block (a heading or a short line) is chrome
    when its nearest decided neighbours on both sides are chrome, or, if it does not end
    like a sentence, chrome on one side and the page's edge on the other. One with article
    text within a few non-chrome blocks below it is the article's headline (or subtitle)
    and stays. Decided blocks are boilerplate and long sentence-like body blocks; an
    aligned unit is never changed."""
    decided: list[bool | None] = []  # True chrome, False article, None short and undecided
    for block in blocks:
        if block.kind == BOILERPLATE:
            decided.append(True)
        elif reads_as_paragraph(text[block.start:block.end], LONG_BLOCK_WORDS):  # a long "heading" too
            decided.append(False)
        else:
            decided.append(None)
    if False not in decided:
        return  # no article text to tell the chrome from: leave the short blocks as they are
    before: list[bool | None] = []
    last = None
    for d in decided:
        before.append(last)
        last = d if d is not None else last
    after: bool | None = None
    below: list[bool | None] = []  # the next HEADLINE_REACH non-chrome blocks, nearest first
    for i in range(len(blocks) - 1, -1, -1):
        if decided[i] is None:
            block = blocks[i]
            piece = text[block.start:block.end].strip()
            sides = (before[i], after)
            # a sentence needs chrome on both sides; a label or title, chrome on one and the edge
            among_chrome = sides == (True, True) or (
                True in sides and False not in sides and piece[-1:] not in ".!?。！？")
            if among_chrome and False not in below and block.source is None and piece:
                block.kind, block.rule = BOILERPLATE, "boilerplate:between-chrome"
        else:
            after = decided[i]
        if decided[i] is not True:
            below = [decided[i]] + below[:HEADLINE_REACH - 1]


class Boilerplate:
    name = "boilerplate"
    reads = ("Document.text", "Document.hints", "Document.format", "Document.recurring_lines")
    writes = ("Document.blocks",)
    shares = ()

    def __init__(self, settings: Settings):
        self.enabled = settings.boilerplate
        self.lines = _line_model(settings.line_weights) if settings.line_model and self.enabled else None

    def _mark_by_line_model(self, text: str, blocks: list[Block]) -> None:
        """The lines of a plain-text page that no named pattern matched, decided by the
        line model (`pipeline.text.lines`): a line at or over its threshold is chrome when it
        stands next to chrome (a line a pattern or this rule marked), unless it stands
        right above article text (`_titles`). Chrome is found by growing from what the
        patterns found, so the page's cleaned text, which has none left, is not changed
        when it is read again (a line marked wherever it stood would be: the lines around
        it change when the chrome goes)."""
        undecided, rows = line_rows(text, blocks)
        if not undecided:
            return
        titles = {undecided[k] for k in _titles(text, [blocks[i] for i in undecided])}
        likely = {i for i, p in zip(undecided, self.lines.probabilities(rows))
                  if p >= self.lines.threshold and i not in titles}
        # a run of likely lines is chrome when chrome touches either end: one sweep each way
        for order, step in ((range(1, len(blocks)), -1), (range(len(blocks) - 2, -1, -1), 1)):
            for i in order:
                if i in likely and blocks[i + step].kind == BOILERPLATE:
                    blocks[i].kind, blocks[i].rule = BOILERPLATE, "boilerplate:line-shape"

    def describe(self) -> None:
        return None  # nothing beyond the settings, which the summary has

    def __call__(self, doc: Document) -> Document:
        blocks = [replace(b) for b in doc.hints] if doc.hints else split_lines(doc.text)
        if self.enabled:
            blocks = mark_known_chrome(doc.text, blocks, doc.recurring_lines)
            if self.lines is not None and not doc.hints and all(b.source is None for b in blocks):
                self._mark_by_line_model(doc.text, blocks)
        if len(blocks) > 1:
            titles = _titles(doc.text, blocks)
            for i, block in enumerate(blocks):
                text = doc.text[block.start:block.end]
                if block.kind == BODY and text.strip() and looks_like_heading(text) and (
                        i in titles or reads_as_title(text)):
                    block.kind, block.rule = HEADING, "heading:short-line"
            if self.enabled:
                _between_chrome(doc.text, blocks)
        if self.enabled:
            mark_signature(doc.text, blocks)  # last: it reads the lines every other rule kept
        doc.blocks = blocks
        return doc



def mark_known_chrome(text: str, blocks: list[Block], recurring: frozenset[str] = frozenset()) -> list[Block]:
    """The stage's first pass, before the line model: credits and date fields split from
    their paragraphs, then the named patterns, the lines the batch repeats and the lines
    the page says again further down."""
    blocks = [piece for block in blocks for piece in _split_credit(text, block)]
    mark_by_rules(text, blocks)
    if recurring:
        mark_recurring(text, blocks, recurring)
    mark_repeats(text, blocks)
    return blocks


def line_rows(text: str, blocks: list[Block]) -> tuple[list[int], list[dict[str, float]]]:
    """The blocks not yet judged chrome and their line features (`pipeline.text.lines`), read
    as the punctuation stage will leave them (`canonical`); none when no block among
    them reads as article text (there is nothing to tell the chrome from)."""
    undecided = [i for i, b in enumerate(blocks) if b.kind != BOILERPLATE]
    lines = [canonical(text[blocks[i].start:blocks[i].end]) for i in undecided]
    if not any(reads_as_paragraph(line, LONG_BLOCK_WORDS) for line in lines):
        return [], []
    return undecided, line_features(lines)


def _titles(text: str, blocks: list[Block]) -> set[int]:
    """The blocks that stand right above article text, chrome between not counted: a
    headline above its lead, a subheading above its section. The line model leaves them.
    A line that cannot be a title (`could_be_title`: a dateline, a link row) is passed
    over like chrome, so the headline above it is the one kept."""
    titles, below_is_article = set(), False
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].kind == BOILERPLATE:
            continue
        piece = text[blocks[i].start:blocks[i].end]
        if reads_as_paragraph(piece, LONG_BLOCK_WORDS):
            below_is_article = True
        elif below_is_article and could_be_title(piece):
            titles.add(i)
            below_is_article = False
    return titles


# "Home | News", "A » B", "Site - Section - Title": the separators of a link row or a breadcrumb.
_LINK_SEPARATOR = re.compile(r"\||»|›|>>|\s[>/•·]\s")
_SPACED_DASH = re.compile(r"\s[-–—]\s")


def could_be_title(text: str) -> bool:
    """Whether a short line could be the title of what follows: not a date or time, not
    a row of links or a breadcrumb, not in brackets, not a paper's or an agency's name,
    not a list of languages."""
    line = canonical(text)
    return not (has_date_or_time(line) or is_bracketed(line) or scripts(line) >= 2 or language_names(line) >= 2
                or _is_link_row(line) or _is_press(line))


def _line_model(path: str | None) -> LineModel:
    try:
        return LineModel.load(path or WEIGHTS_FILE)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SettingsError(f"line_weights: cannot read {path}: {exc}") from None


def mark_recurring(text: str, blocks: list[Block], recurring: frozenset[str]) -> None:
    """The lines this page shares with other pages of its batch (`Document.recurring_lines`)
    are the site's: its name, menu, edition bar, footer. A line right above article text
    (`_titles`: a headline, a column's subheading) stays."""
    titles = _titles(text, blocks)
    for i, block in enumerate(blocks):
        if (block.kind != BOILERPLATE and block.source is None and i not in titles
                and normal_form(text[block.start:block.end]) in recurring):
            block.kind, block.rule = BOILERPLATE, "boilerplate:recurring-line"


# A line of at least this many words said again later in the page: the earlier copy is chrome.
REPEAT_WORDS = 5


def mark_repeats(text: str, blocks: list[Block]) -> None:
    """A line the page says again further down, word for word or as the start of a longer
    line, is chrome: a teaser of the lead ("BEIJING (AP) — Thousands of people ..."
    above the article that begins with it), a title repeated by a widget. The later copy
    stays, so no text is lost; lines under REPEAT_WORDS words are left to the line model."""
    normal = [normal_form(text[b.start:b.end]) if b.kind != BOILERPLATE and b.source is None else ""
              for b in blocks]
    later = sorted((n, i) for i, n in enumerate(normal) if n)
    keys = [n for n, _ in later]
    titles = titles_by_first_word(normal)
    for i, n in enumerate(normal):
        if n and _is_link_row(text[blocks[i].start:blocks[i].end]) and ends_with_another(n, titles):
            # "Site - Section - Title of the article": a breadcrumb ending in the page's title
            blocks[i].kind, blocks[i].rule = BOILERPLATE, "boilerplate:breadcrumb"
            continue
        if len(n.split()) < REPEAT_WORDS:
            continue
        k = bisect_left(keys, n)
        while k < len(keys) and keys[k].startswith(n):  # a teaser may stop mid-word: "... left neighborhoods in s"
            if later[k][1] > i:
                blocks[i].kind, blocks[i].rule = BOILERPLATE, "boilerplate:repeated-line"
                break
            k += 1


# A notice's signature is a few short lines: the issuing body, its office, the date.
SIGNATURE_LINES, SIGNATURE_WORDS = 4, 10


def mark_signature(text: str, blocks: list[Block]) -> None:
    """The lines closing a notice after its last paragraph, the last of them a date: the
    signature of whoever issued it ("Shanggao County Epidemic Prevention Headquarters /
    Office / October 3rd, 2022"). At most SIGNATURE_LINES short lines, none a sentence;
    the date may be marked already (a dateline); other chrome, among them or after them (a
    footer), is passed over, so the page's cleaned text, read again, has the same signature."""
    last = next((b for b in reversed(blocks) if text[b.start:b.end].strip() and (
        b.kind != BOILERPLATE or b.rule == "boilerplate:dateline")), None)
    if last is None:
        return
    date = text[last.start:last.end]
    if len(date.split()) > SIGNATURE_WORDS or not has_day(date):
        return
    tail = []
    for block in reversed(blocks):
        piece = text[block.start:block.end].strip()
        if block.kind == BOILERPLATE or not piece:
            continue
        if reads_as_paragraph(piece, LONG_BLOCK_WORDS):
            break
        if (len(tail) == SIGNATURE_LINES or block.source is not None or len(piece.split()) > SIGNATURE_WORDS
                or ENDS_LIKE_SENTENCE.search(piece)):
            return
        tail.append(block)
    else:
        return  # no paragraph: nothing for the lines to close
    for block in tail:
        block.kind, block.rule = BOILERPLATE, "boilerplate:signature"


def _is_link_row(text: str) -> bool:
    return bool(_LINK_SEPARATOR.search(text)) or len(_SPACED_DASH.findall(text)) >= 2


def mark_by_rules(text: str, blocks: list[Block]) -> None:
    """Mark the blocks a named pattern matches (`classify`), and the items of a "Related
    ..." list. Body and heading blocks are tested (an HTML <h3> can be "Related posts" or
    a date); an empty block (an untranslated unit) is left as it is."""
    in_related_list = False
    known: dict[str, str | None] = {}  # a page says its menu lines twice or more (a quarter of its lines)
    for block in blocks:
        if block.kind == BOILERPLATE:
            in_related_list = block.rule == "boilerplate:related-list"
            continue
        piece = text[block.start:block.end]
        if not piece.strip():
            continue
        rule = known[piece] if piece in known else known.setdefault(piece, classify(piece))
        if RELATED_HEADER.search(piece):
            rule, in_related_list = "related-list", True
        elif in_related_list and rule is None and (LIST_ITEM.search(piece) or looks_like_heading(piece)):
            rule = "related-list"
        else:
            in_related_list = False
        if rule:
            block.kind, block.rule = BOILERPLATE, f"boilerplate:{rule}"


def _split_credit(text: str, block: Block) -> list[Block]:
    """A paragraph opening with a date field or ending in a photo credit or byline: the
    field or credit becomes its own block. A credit is a bracketed one (`TRAILING_CREDIT`),
    or a last sentence that a credit rule matches on its own ("... in the scenic area.Li
    Ming Photo")."""
    if block.kind == BOILERPLATE or block.source is not None:  # aligned units are never split
        return [block]
    piece = text[block.start:block.end]
    field = LEADING_DATE_FIELD.match(piece) or LEADING_IMAGE_FILE.match(piece)
    if field:
        rest = block.start + field.end() + len(piece[field.end():]) - len(piece[field.end():].lstrip())
        rule = "boilerplate:dateline" if field.re is LEADING_DATE_FIELD else "boilerplate:image-file"
        return [Block(block.start, block.start + field.end(), BOILERPLATE, rule),
                *_split_credit(text, replace(block, start=rest))]
    note = INLINE_REPOST_NOTE.search(piece)
    if note:  # "Title. Original title: ... . The article ..." on one line: three blocks
        start = block.start + note.start() + len(note.group(0)) - len(note.group(0).lstrip())
        end = block.start + note.end()
        before = len(text[block.start:start].rstrip())
        after = end + len(text[end:block.end]) - len(text[end:block.end].lstrip())
        return ([replace(block, end=block.start + before)] if before else []) + [
            Block(start, end, BOILERPLATE, "boilerplate:repost-note")] + (
            _split_credit(text, replace(block, start=after)) if after < block.end else [])
    credit_start = _trailing_credit(text, block.start, block.end)
    if credit_start is None:
        return [block]
    body_end = len(text[:credit_start].rstrip())
    if body_end <= block.start:
        return [block]
    return [replace(block, end=body_end), Block(credit_start, block.end, BOILERPLATE, "boilerplate:credit")]


# The rules a paragraph's last sentence may match to be split off as its credit.
CREDIT_RULES = {"photo-credit", "byline", "image-file", "repost-note"}
CREDIT_WORDS = 14
# the stop before the paragraph's last sentence (which may end on a stop of its own)
_LAST_STOP = re.compile(r"[.!?。！？)][\"”’]?\s*(?=\S[^.!?。！？]*[.!?。！？]?[\"”’)]?$)")


def _trailing_credit(text: str, start: int, end: int) -> int | None:
    """Where a credit that ends the paragraph text[start:end] starts, or None."""
    if text[start:end].rstrip()[-1:] in (")", "）", "]", "】"):  # every bracketed credit ends with one
        m = TRAILING_CREDIT.search(text, start, end)
        if m and m.end() == end:
            return m.start() + len(m.group(0)) - len(m.group(0).lstrip())
    window = max(start, end - 300)  # a credit is short: look only at the paragraph's end
    # a credit may hold a stop of its own ("(Information picture) Li Ming"): the longest
    # tail of at most CREDIT_WORDS words that reads as a credit
    tails = [stop.end() for stop in _LAST_STOP.finditer(text, window, end)
             if len(text[stop.end():end].split()) <= CREDIT_WORDS]
    return next((start for start in tails if _may_be_credit(text[start:end])
                 and classify(text[start:end]) in CREDIT_RULES), None)


_CREDIT_PATTERNS = [(pattern, max_words) for name, pattern, max_words in BLOCK_RULES if name in CREDIT_RULES]


def _may_be_credit(text: str) -> bool:
    """Whether `classify` can find a credit in a paragraph's last sentence: a credit rule's
    pattern matches it, or it is Chinese names alone. Most last sentences fail this, and
    it is a third of the whole test (`test_credit_prefilter_agrees_with_classify`)."""
    text = canonical(text)
    words = len(text.split())
    return any(words <= max_words and pattern.search(text) for pattern, max_words in _CREDIT_PATTERNS) or (
        2 <= words <= NAMES_WORDS and _is_chinese_names(text))
