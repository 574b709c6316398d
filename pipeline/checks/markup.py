"""`tag-mismatch`: the inline markup of an aligned unit's source missing, added or
reordered in its target (XLIFF `<g>`, `<x/>`, `<bx/>`/`<ex/>`, `<ph>`, `<bpt>`/`<ept>`,
`<pc>`, `<sc>`/`<ec>`, `<mrk>`; TMX `<bpt>`/`<ept>`, `<ph>`, `<it>`, `<hi>`), compared
by element and id (`xmltools.inline_tags`). A CAT tool imports a target whose markup
does not match its source badly or not at all."""

from __future__ import annotations

from collections import Counter

from ..document import BOILERPLATE, Flag, Segment
from .catalogue import Check, catalogued
from .context import Context


def _shown(tags: list[str]) -> str:
    listed = ", ".join(tags[:6]) + (f" and {len(tags) - 6} more" if len(tags) > 6 else "")
    return listed


@catalogued(Check("tag-mismatch", "error", "inline markup of the source (XLIFF <g>, <x/>, <bx/>/<ex/>, <ph>, "
                  "<bpt>/<ept>, <pc>, <sc>/<ec>, <mrk>; TMX codes) missing, added or reordered in the target",
                  "source <g id=\"1\">Tongren</g>, target without the <g>",
                  sample=("zh-en.xlf", '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file '
                          'original="a.txt" source-language="zh" target-language="en" datatype="plaintext"><body>'
                          '<trans-unit id="1"><source><g id="1">铜仁</g>市</source><target>Tongren City</target>'
                          '</trans-unit></body></file></xliff>\n')))
def tag_mismatch(segments: list[Segment], ctx: Context) -> None:
    blocks = ctx.doc.blocks
    for seg in segments:
        if seg.kind == BOILERPLATE or not seg.cleaned.strip() or seg.block >= len(blocks):
            continue
        block = blocks[seg.block]
        source, target = list(block.source_tags), list(block.target_tags)
        if source == target or block.unit is None:
            continue
        missing = list((Counter(source) - Counter(target)).elements())
        added = list((Counter(target) - Counter(source)).elements())
        parts = []
        if missing:
            parts.append(f"the target lacks {_shown(missing)}")
        if added:
            parts.append(f"the target adds {_shown(added)}")
        if not parts:
            parts.append("the target has the source's inline markup in another order ("
                         + _shown(target) + f" against {_shown(source)})")
        message = "Inline markup differs from the source: " + "; ".join(parts) + ": make the target's tags match."
        # tags lost or invented break the file in a CAT tool; an order a translation changed may be right
        severity = "error" if missing or added else "warning"
        seg.flags.append(Flag("tag-mismatch", severity, message, 0, len(seg.cleaned)))
