"""`inconsistent-translation`: within a document, one source segment translated in more
than one way, or one translation given for different sources (`pipeline.text.variants`)."""

from __future__ import annotations

from ..document import BOILERPLATE, Flag, Segment
from ..text.variants import inconsistent_groups
from .catalogue import Check, catalogued
from .context import Context


@catalogued(Check("inconsistent-translation", "warning", "one source segment translated in more than one way in a "
                  "document, or one translation given for different sources (the index lists the batch's groups)",
                  "标题 translated \"Title\" twice and \"Heading\" once",
                  sample=("zh-en.tsv", "通知公告\tNotice and Announcement\n通知公告\tNotice and Announcement\n"
                          "通知公告\tNotices and Announcements\n")))
def inconsistent_translation(segments: list[Segment], ctx: Context) -> None:
    aligned = [s for s in segments if s.kind != BOILERPLATE and s.source and s.cleaned.strip()]
    for group in inconsistent_groups((s.source, s.cleaned, s) for s in aligned):
        n = len(group.variants)
        suggested = None  # the variant the others should read as: the most frequent, when one is
        if group.kind == "source":
            message = (f"This source is translated {n} ways in this document: {group.listing()}; "
                       f"give it one translation.")
            if group.variants[0].count > group.variants[1].count:
                suggested = group.variants[0]
        else:
            message = (f"This translation stands for {n} different sources in this document: {group.listing()}; "
                       f"check that each is translated as it should be.")
        for variant in group.variants:
            suggestion = suggested.text if suggested is not None and variant is not suggested else None
            for seg in variant.places:
                seg.flags.append(Flag("inconsistent-translation", "warning", message, 0, len(seg.cleaned),
                                      suggestion=suggestion))
