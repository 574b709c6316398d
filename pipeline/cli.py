"""Command line: `python -m pipeline run INPUT... --out DIR`. Argument parsing only.

Exit codes: 0 every document processed; 1 some documents failed (the others were
processed and written); 2 usage or settings error (nothing processed).
"""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from . import __version__
from .config import SettingsError, load_settings

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own exit code is 2 as well; keep it one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m pipeline",
                     description="Clean up machine-translated news and write review reports.")
    parser.add_argument("--version", action="version", version=f"pipeline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser(
        "run", help="process a batch of documents",
        description="Read .txt, .html/.htm and .jsonl documents (folders are searched recursively), "
                    "clean them and write segments.jsonl, cleaned/<doc>.txt, docs/<doc>.html, index.html "
                    "and summary.json to --out. Exit status: 0 all documents processed, 1 some failed "
                    "(the rest are written), 2 usage or settings error.",
    )
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="input files or folders")
    run.add_argument("--out", default="reports/latest", metavar="DIR",
                     help="output folder (default: %(default)s); must not be an input folder")
    run.add_argument("--lang", metavar="CODE",
                     help="expected language of the documents (ISO 639-1, e.g. en), or 'auto' (default)")
    run.add_argument("--encoding", metavar="NAME", help="read .txt/.html inputs in this encoding instead of detecting it")
    run.add_argument("--config", metavar="FILE", help="TOML settings file (see README)")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no final summary line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config, lang=args.lang, encoding=args.encoding)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "run":
        return _run(args, settings)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


def _run(args, settings) -> int:
    from .batch import run_batch  # keeps `--help` fast

    show = not args.quiet and sys.stderr.isatty()
    bar = tqdm(total=0, unit="file", file=sys.stderr, disable=not show, leave=False)

    def start(total: int) -> None:
        bar.total = total
        bar.refresh()

    try:
        result = run_batch(args.inputs, args.out, settings, on_start=start,
                           on_file=lambda _path: bar.update(1),
                           report=lambda msg: (bar.clear(), print(msg, file=sys.stderr)))
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        bar.close()
    if not args.quiet:
        totals = result.summary["totals"]
        print(f"{totals['documents']} documents processed, {totals['failed']} failed; "
              f"{totals['segments']} segments, {totals['edits']} edits -> {args.out}", file=sys.stderr)
    return EXIT_SOME_FAILED if result.failures else EXIT_OK
