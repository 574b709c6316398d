"""The catalogue of flag codes, filled where the code is raised.

Each check function is decorated with the codes it raises (`@catalogued(Check(...))`):
what a code catches, its severity, an example and its languages sit on the function that
raises it, so the catalogue cannot lose a check or keep one that is gone. The two codes a
stage raises itself (the terms stage's `calque`, the spelling stage's `spelling`) are
declared in `pipeline.checks` with `declare`, naming that stage. The table in
docs/garble.md is written from the same facts (a test holds the two to the same codes).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    catches: str
    example: str
    languages: str = "all"  # "all", or the languages it runs for, e.g. "en"
    cosmetic: bool = False  # fixed or harmless: never counts towards garbled
    # An input on which the stages raise the code, as (file suffix, content): each is run
    # by tests/checks/test_catalogue.py. None only for the codes the score raises, whose
    # firing depends on the fitted weights (and the parser or language model).
    sample: tuple[str, str] | None = None
    raised_by: str = ""  # the function (module.name) or stage that raises it


# In the order the check modules are imported (`pipeline.checks` imports them all).
CATALOGUE: list[Check] = []


def declare(*checks: Check, raised_by: str) -> None:
    """Put `checks` in the catalogue, raised by `raised_by`."""
    known = {c.code for c in CATALOGUE}
    for check in checks:
        if check.code in known:
            raise ValueError(f"flag code {check.code!r} is catalogued twice")
        CATALOGUE.append(replace(check, raised_by=raised_by))
        known.add(check.code)


def catalogued(*checks: Check):
    """A decorator: the function raises these codes."""
    def register(function):
        declare(*checks, raised_by=f"{function.__module__.removeprefix('pipeline.')}.{function.__qualname__}")
        return function
    return register
