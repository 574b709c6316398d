"""Command line: parses the arguments and hands each command to the layer that does it.

    python -m pipeline run INPUT... --out DIR        process a batch
    python -m pipeline glossary check FILE...        validate glossaries, print statistics
    python -m pipeline glossary convert IN -o OUT    convert between YAML, TBX and TSV/CSV
    python -m pipeline bench terms                   time the terms stage against glossary size
    python -m pipeline evaluate LABELS --docs DIR    measure garble and boilerplate detection

Exit codes: 0 every document processed (or the glossaries are valid); 1 some
documents failed (the others were processed and written); 2 usage, settings or
glossary error (nothing processed); 3 with --fail-on, a new flag of that severity
appeared compared with --baseline, or (--fail-on lqa) the batch's quality score is over
its threshold; 130 interrupted (`errors`, where they are declared).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from . import __version__
from .config import (PROJECT_FILE, SETTINGS_FILE, Settings, SettingsError, add_setting_options, check_run_options,
                     given_settings, load_settings, profile_file, profile_record, settings_file_in)
from .document import counted
from .errors import EXIT_INTERRUPTED, EXIT_NEW_FLAGS, EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, PipelineError
from .glossary import FORMATS, GlossaryError


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
        description="Read .txt, .html/.htm and .jsonl documents, and aligned source + translation in .xlf/.xliff "
                    "(XLIFF 1.2, 2.x), .tmx (TMX 1.4), .tsv (source TAB target) and .po (gettext); folders are searched "
                    "recursively. Clean them and write segments.jsonl, cleaned/<doc>.txt, docs/<doc>.html, "
                    "index.html and summary.json to --out. Exit status: 0 all documents processed, 1 some failed "
                    "(the rest are written), 2 usage, settings or glossary error, 3 --fail-on tripped.",
    )
    run.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="input files or folders; - reads standard input (plain text, or JSONL when every line "
                          "is a JSON object)")
    run.add_argument("--out", default="reports/latest", metavar="DIR",
                     help="output folder (default: %(default)s); must not be an input folder. --out - writes "
                          "segments.jsonl to standard output and nothing else (no folder is kept)")
    run.add_argument("--format", choices=("text", "json"), default="text",
                     help="json: print the run's totals, failures, applied decisions and --baseline comparison "
                          "as one JSON object on standard output (the messages stay on standard error)")
    _add_config_options(run)
    run.add_argument("--baseline", metavar="DIR",
                     help="an earlier output folder (may be --out itself): report flags that are new, fixed "
                          "or unchanged since then")
    run.add_argument("--fail-on", choices=["warning", "error", "lqa"],
                     help="exit 3 when, against --baseline, a new flag of this severity (or worse) appears; or, "
                          "with lqa, when the batch's quality score is over lqa_threshold (no baseline needed)")
    run.add_argument("--jobs", type=_positive, default=1, metavar="N",
                     help="worker processes (default 1); the output is the same whatever N, in input order")
    run.add_argument("--executor", choices=("local", "dask"), default="local",
                     help="where documents are processed: local processes (default), or the workers of a Dask "
                          "cluster (needs pip install \".[dask]\")")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --executor dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 (default: a "
                          "cluster of --jobs worker processes on this machine)")
    run.add_argument("--no-report", action="store_true", help="skip the HTML review pages (docs/, index.html)")
    run.add_argument("--no-cache", action="store_true",
                     help="process every document again, even those whose input, glossary entries and settings "
                          "are unchanged since the last run into --out")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no final summary line")
    add_setting_options(run.add_argument_group("settings (each also a key of the --config file)"))

    formats = ", ".join(sorted(FORMATS))
    glossary = sub.add_parser("glossary", help="check or convert glossary files",
                              description=f"Glossary tools. Formats by file extension: {formats}.")
    tools = glossary.add_subparsers(dest="tool", required=True, parser_class=_Parser)
    check = tools.add_parser("check", help="validate glossaries together and print statistics",
                             description="Exit status 0 when valid (warnings allowed), 2 when not.")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="json: the verdict, each file's statistics, the errors and warnings as one JSON object")
    convert = tools.add_parser("convert", help="convert a glossary to another format",
                               description=f"Read IN and write OUT, each in the format its extension names ({formats}).")
    convert.add_argument("source", metavar="IN")
    convert.add_argument("-o", "--output", required=True, metavar="OUT")

    evaluate = sub.add_parser(
        "evaluate", help="measure garble and boilerplate detection on labelled documents",
        description="Run the pipeline on the documents in --docs and compare with LABELS (JSONL, one labelled "
                    "sentence per line: doc, sentence, label garbled|ok|boilerplate, kind mt|pro|other_lang). "
                    "Prints precision, recall and F1 for garbled, false flags on professional text, boilerplate "
                    "recall and body text marked boilerplate, then the misses and false alarms.")
    evaluate.add_argument("labels", metavar="LABELS", nargs="+", help="label files (JSONL), read together")
    evaluate.add_argument("--docs", required=True, metavar="DIR", help="folder with <doc>.txt/.html files")
    _add_config_options(evaluate)
    evaluate.add_argument("--summary", action="store_true", help="only the table, not the lists")
    evaluate.add_argument("--format", choices=("text", "json"), default="text",
                          help="json: the figures, their intervals, per kind and site (and the lists, unless "
                               "--summary) as one JSON object")
    evaluate.add_argument("--cv", action="store_true",
                          help="cross-validated by document: each document judged by garble weights fitted "
                               "without it, the threshold chosen inside the folds (boilerplate figures are "
                               "not fitted and stay as they are)")
    evaluate.add_argument("--html", metavar="FILE",
                          help="also write an HTML page: the figures with intervals, per kind and site, a "
                               "reliability diagram, the precision/recall curve, every miss and false alarm")
    evaluate.add_argument("--ablate", action="store_true",
                          help="with --cv: the cross-validated F1 without each feature of the score")
    evaluate.add_argument("--controls", metavar="DIR",
                          help="pages of professional writing (.txt/.html, no labels): report the share of their body "
                               "sentences marked garbled, by language (with --cv they are folds and fitted too)")
    add_setting_options(evaluate.add_argument_group("settings"),
                        ["garble_threshold", "parser", "skip_checks", "judge", "lm_gpu_layers", "lm_threads", "weights"])

    # listed for --help only: `main` hands "fit ..." to the fitting scripts before parsing
    sub.add_parser("fit", help="fit the garble score's weights on labels (and reviewers' verdicts), or with "
                   "'fit lines' the chrome line model", add_help=False,
                   description="python -m pipeline fit [garble] LABELS... --docs DIR [--controls DIR] [--reviews DB] "
                               "[--judge rules|lm] [--write | --out FILE]; python -m pipeline fit lines "
                               "--garble-dev DIR --extraction-dev DIR [--by site|page] [--write]; --help for every option"
                   ).add_argument("rest", nargs=argparse.REMAINDER)

    review = sub.add_parser(
        "review", help="serve an output folder's review pages, saving every decision as it is made",
        description="Serve DIR's pages (written by run) on a local web server; each decision taken in a page is "
                    "stored at once in DIR/review.sqlite, which run --decisions DIR/review.sqlite applies. "
                    "Stop it with Ctrl-C.")
    review.add_argument("folder", metavar="DIR", help="an output folder of run")
    review.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default %(default)s: this machine only)")
    review.add_argument("--port", type=int, default=8765, help="port (default %(default)s; 0 picks a free one)")
    review.add_argument("--open", action="store_true", help="open the index in a web browser")
    review.add_argument("--export", action="store_true",
                        help="write DIR/reviewed/decisions.json, DIR/reviewed/<doc>.txt (the cleaned text with "
                             "the post-edits) and <doc>.xlf (XLIFF 2.1, reviewed segments marked) from the database "
                             "and exit (no server)")
    review.add_argument("--suppressions", metavar="FILE",
                        help="a lasting-suppressions file (made when missing): each flag on a page gets 'Silence "
                             "everywhere', which writes the finding, or its whole check, there with the reviewer's "
                             "name and reason; runs with --suppressions FILE then leave it out (docs/review.md)")
    review.add_argument("--reviewer", metavar="NAME",
                        help="who the decisions made through this server are recorded as (default: the account name)")
    review.add_argument("--history", metavar="DOC#INDEX",
                        help="print every decision made about one segment (who, what, when, taken back or not) "
                             "and exit")

    terms = sub.add_parser(
        "terms", help="list the batch's candidate terms, their renderings grouped; write them as a glossary",
        description="Recurring multi-word noun phrases of the batch's English text, the renderings of one concept "
                    "grouped by their content words, most frequent first (docs/glossaries.md, 'Term candidates').")
    terms.add_argument("source", metavar="DIR", help="an output folder of run (its segments.jsonl), or inputs to run "
                                                     "first (without pages or cache)")
    terms.add_argument("--min-count", type=_positive, default=3, metavar="N",
                       help="occurrences a candidate needs (default %(default)s)")
    terms.add_argument("--top", type=_positive, default=50, metavar="N", help="groups to print (default %(default)s)")
    terms.add_argument("--write", metavar="FILE", help="write each group of two renderings or more as a glossary "
                                                       "entry (.yaml, .tbx, .tsv): the most frequent preferred")
    terms.add_argument("--against", metavar="GLOSSARY", nargs="+",
                       help="say how many of these glossaries' entries present in the batch the candidates found")
    suppress = sub.add_parser(
        "suppressions", help="list, add or remove lasting suppressions (findings silenced in every later run)",
        description="A suppressions file (the suppressions setting) silences a finding wherever it recurs, until its "
                    "sentence changes, or a whole check; each entry says who, when and why (docs/review.md).")
    actions = suppress.add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = actions.add_parser("list", help="print the entries, numbered")
    listing.add_argument("file", metavar="FILE")
    add = actions.add_parser("add", help="silence a finding (--from an output folder, or --text and --context) or, "
                                         "with --code alone, a whole check")
    add.add_argument("file", metavar="FILE", help="the suppressions file (made when missing)")
    add.add_argument("--code", required=True, help="the flag's code")
    add.add_argument("--why", required=True, help="why it is not a problem (kept with the entry)")
    add.add_argument("--who", help="who decided (default: this user's name)")
    add.add_argument("--lang", metavar="CODE", help="a whole check: in this language only")
    add.add_argument("--from", dest="out", metavar="DIR", help="an output folder: the finding is its --doc's "
                                                               "segment --segment's flag of --code")
    add.add_argument("--doc", help="with --from: the document id")
    add.add_argument("--segment", type=int, metavar="N", help="with --from: the segment's index")
    add.add_argument("--text", help="the flagged text (with --context)")
    add.add_argument("--context", help="the segment's whole text (with --text)")
    remove = actions.add_parser("remove", help="remove entry N (as list numbers them): the finding fires again")
    remove.add_argument("file", metavar="FILE")
    remove.add_argument("number", type=_positive, metavar="N")

    bench = sub.add_parser("bench", help="run a benchmark and print a Markdown table")
    bench.add_argument("target", choices=["run", "terms", "garble", "extraction", "targets", "lm"],
                       help="run: end to end (no reports) against batch size, workers and glossary size, "
                            "per-stage times, and the langdetect-per-sentence baseline; terms: the terms stage "
                            "alone against glossary size; garble: checks per sentence against one langdetect call; "
                            "extraction: reading HTML pages and marking their chrome against trafilatura alone; "
                            "targets: the batch layer's cost targets, each a ratio of two whole processes; "
                            "lm: the language-model judge's reading speed against llama.cpp alone, a repeated "
                            "sentence, and --jobs 2 against one job")
    bench.add_argument("--pages", metavar="DIR",
                       help="HTML pages for 'extraction' (default: the fixtures' HTML pages)")
    bench.add_argument("--snippets", metavar="FILE",
                       help="for 'extraction': an evaluation set's snippets (JSON, {page: {with: [...], without: "
                            "[...]}}, as ../shared/extraction-dev/snippets.json): also score the text each keeps")
    bench.add_argument("--jobs", default="1,2", metavar="N,N", help="worker counts for 'run' (default: %(default)s)")
    bench.add_argument("--sizes", metavar="N,N,...",
                       help="batch sizes in documents for 'run' (default 100,1000,10000), glossary sizes in "
                            "entries for 'terms' (default 10,1000,10000)")
    bench.add_argument("--glossary-sizes", default="10,1000,10000", metavar="N,N,...",
                       help="glossary sizes in entries for 'run', at the middle batch size (default: "
                            "%(default)s; empty to skip)")
    bench.add_argument("--repeats", type=int, metavar="N",
                       help="runs per configuration; the median is shown (default 3 for 'run', 7 otherwise)")
    return parser


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="TOML settings file (see docs/usage.md); the options below override it. Without it, "
                             f"{SETTINGS_FILE} in the working folder is read, else the [tool.pipeline] table of a "
                             f"{PROJECT_FILE} there")
    parser.add_argument("--no-config", action="store_true",
                        help=f"read no settings file: neither {SETTINGS_FILE} nor {PROJECT_FILE} of the working folder")
    parser.add_argument("--profile", metavar="NAME",
                        help="the settings of profile NAME: the file NAME.toml in $PIPELINE_PROFILES_DIR, else "
                             "~/.config/pipeline/profiles (a settings file like --config's); the run records "
                             "which profile, and its file's SHA-256, in summary.json")


def _settings(args) -> Settings:
    """Settings from --config or --profile, else from the working folder's settings file
    (the run says which it read), with the options on top."""
    config, table = args.config, ()
    if args.profile is not None:
        if config is not None or args.no_config:
            raise SettingsError("--profile names the settings file: give it without --config or --no-config")
        config = profile_file(args.profile)
        print(f"settings: profile {args.profile} ({config})", file=sys.stderr)
    elif config is None and not args.no_config:
        found = settings_file_in(Path("."))
        if found is not None:
            config, table = found
            print(f"settings: read {config}" + (f" [{'.'.join(table)}]" if table else ""), file=sys.stderr)
    elif config is not None and args.no_config:
        raise SettingsError("--config and --no-config say opposite things: give one")
    return load_settings(config, table, **given_settings(args))


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


# What `fit` fits, named by its first word ("fit LABELS..." is the garble score, as before
# the line model had a command of its own).
FIT_SCRIPTS = ("garble", "lines")


def _fit(rest: list[str]) -> int:
    named = bool(rest) and rest[0] in FIT_SCRIPTS and not Path(rest[0]).exists()  # a label file may be "garble"
    what, argv = (rest[0], rest[1:]) if named else ("garble", rest)
    if what == "lines":
        from .evaluation.lines_fit import main as lines_main
        return lines_main(argv)
    from .evaluation.fit_garble import fit_main
    return fit_main(argv)


def main(argv: list[str] | None = None) -> int:
    """Parse and dispatch. An error the user can act on (`errors.PipelineError`) that a
    command does not say in its own words is said here, in one "error:" line per problem,
    and ends the command with the error's exit code."""
    try:
        return _dispatch(sys.argv[1:] if argv is None else argv)
    except PipelineError as exc:
        _say_error(exc)
        return exc.exit_code


def _dispatch(argv: list[str]) -> int:
    if argv[:1] == ["fit"]:  # its own parsers, "--help" included (argparse hands a leading option to no remainder)
        return _fit(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "glossary":
        return _glossary(args)
    if args.command == "evaluate":
        return _evaluate(args)
    if args.command == "bench":
        return _bench(args)
    if args.command == "review":
        return _review(args)
    if args.command == "suppressions":
        return _suppressions(args)
    if args.command == "terms":
        return _terms(args)
    settings = _settings(args)
    check_run_options(settings, inputs=args.inputs, out=args.out, output_format=args.format, fail_on=args.fail_on,
                      baseline=args.baseline, executor=args.executor, scheduler=args.scheduler)
    return _run(args, settings)


def _terms(args) -> int:
    import tempfile

    from .glossary import load_glossaries, write_glossary
    from .glossary.candidates import as_glossary, coverage, mine
    source = Path(args.source)
    with tempfile.TemporaryDirectory() as scratch:
        if not (source / "segments.jsonl").is_file():
            from .run.batch import QUIET, run_batch
            run_batch([str(source)], Path(scratch) / "out", load_settings(), reports=False, cache=False, progress=QUIET)
            source = Path(scratch) / "out"
        sentences = []
        with open(source / "segments.jsonl", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if record["kind"] != "boilerplate" and record["lang"] == "en":
                    # as read: the cleaned text has the glossary's known terms already rewritten
                    sentences.append((record["doc"], record["original"], record.get("source")))
        source_langs = Counter(d.get("source_lang") for d in _summary_documents(source) if d.get("source_lang"))
    groups = mine(sentences, args.min_count)
    for g in groups[:args.top]:
        print(f"{g.count:5}  " + (f"{g.source}: " if g.source else "")
              + " | ".join(f"{r.text} ({r.count} in {counted(len(r.documents), 'document')})" for r in g.renderings))
        if len(g.renderings) > 1:  # a choice to make: each rendering in a sentence of its own
            for r in g.renderings:
                print(f"         {r.text}: “{_shortened(r.example, r.text)}” ({r.documents[0]})")
    print(f"{counted(len(groups), 'candidate group')} ({sum(len(g.renderings) > 1 for g in groups)} with several "
          f"renderings) from {counted(len(sentences), 'English sentence')}", file=sys.stderr)
    if args.write:
        glossary = as_glossary(groups, source_language=source_langs.most_common(1)[0][0] if source_langs else "zh")
        try:
            write_glossary(glossary, args.write)
        except OSError as exc:
            raise SettingsError(f"--write {args.write}: cannot write: {exc.strerror}") from None
        print(f"wrote {len(glossary.entries)} {'entry' if len(glossary.entries) == 1 else 'entries'} to {args.write}: "
              "check each preferred form",
              file=sys.stderr)
    if args.against:
        entries = [e for g in load_glossaries(args.against) for e in g.entries]
        found = coverage(groups, entries, [text for _doc, text, _source in sentences], min_count=args.min_count)
        print(f"against {', '.join(args.against)}: {len(found.present)} entries written at least {args.min_count} "
              f"times in the batch; the candidates found {len(found.found)}"
              + (f" ({len(found.found) / len(found.present):.0%})" if found.present else "")
              + f"; of {len(found.several)} with several forms among the candidates, {len(found.grouped)} grouped "
                f"in one", file=sys.stderr)
        if found.present:
            print("not found: " + ", ".join(sorted(set(found.present) - set(found.found))), file=sys.stderr)
    return EXIT_OK


def _shortened(sentence: str, phrase: str, width: int = 100) -> str:
    """`sentence`, cut to about `width` characters around `phrase` where it is longer."""
    if len(sentence) <= width:
        return sentence
    # as written there: in either number, with spaces or hyphens between its words
    shape = r"[\s-]+".join(re.escape(w[:max(3, len(w) - 2)]) + r"\w*" for w in phrase.split())
    found = re.search(shape, sentence, flags=re.IGNORECASE)
    at = max(0, (found.start() if found else 0) - width // 3)
    cut = sentence[at:at + width]
    return ("…" if at else "") + cut + ("…" if at + width < len(sentence) else "")


def _summary_documents(folder: Path) -> list[dict]:
    """The documents of a run's summary.json, or none when it cannot be read."""
    try:
        return json.loads((folder / "summary.json").read_text(encoding="utf-8")).get("documents", [])
    except (OSError, ValueError, AttributeError):
        return []


def _suppressions(args) -> int:
    import getpass

    from .decisions.suppressions import finding, load_suppressions, whole_check
    if args.action == "list":
        entries = load_suppressions(args.file)
        for n, entry in enumerate(entries.entries, start=1):
            print(f"{n}. {entry.describe()}")
        print(f"{counted(len(entries), 'suppression')} in {args.file}", file=sys.stderr)
        return EXIT_OK
    entries = load_suppressions(args.file, missing_ok=args.action == "add")
    if args.action == "remove":
        entries.removed(args.number).write(args.file)  # SettingsError for a number with no entry
        print(f"removed: {entries.entries[args.number - 1].describe()}", file=sys.stderr)
        return EXIT_OK
    who = args.who or getpass.getuser()
    if args.out:
        if args.doc is None or args.segment is None or args.text or args.context or args.lang:
            raise SettingsError("--from takes --doc and --segment (not --text, --context or --lang)")
        text, context = _finding_in(Path(args.out), args.doc, args.segment, args.code)
        entry = finding(args.code, text, context, who, args.why)
    elif args.text is not None or args.context is not None:
        if args.text is None or args.context is None or args.lang:
            raise SettingsError("a finding is --text and --context together (a whole check takes --lang)")
        entry = finding(args.code, args.text, args.context, who, args.why)
    else:
        entry = whole_check(args.code, who, args.why, args.lang)
    grown = entries.added(entry)
    grown.write(args.file)
    print(f"{'added' if grown is not entries else 'already there'}: {entry.describe()}", file=sys.stderr)
    return EXIT_OK


def _finding_in(out: Path, doc: str, index: int, code: str) -> tuple[str, str]:
    """The flagged text and the segment text of `doc`'s segment `index`'s flag of `code`,
    from the output folder's segments.jsonl."""
    from .outputs.write import find_record
    try:
        record = find_record(out, doc, index)
    except OSError as exc:
        raise SettingsError(f"{out}: cannot read segments.jsonl: {exc.strerror}") from None
    except ValueError as exc:
        raise SettingsError(f"{out}/segments.jsonl: not a run's records: {exc}") from None
    if record is None:
        raise SettingsError(f"{out}: no segment {index} in document {doc}")
    try:
        flag = next((f for f in record["flags"] if f["code"] == code), None)
        if flag is None:
            raise SettingsError(f"{out}: {doc} segment {index} has no {code} flag "
                                f"(it has: {', '.join(f['code'] for f in record['flags']) or 'none'})")
        return record["cleaned"][flag["start"]:flag["end"]], record["cleaned"]
    except (KeyError, TypeError) as exc:
        raise SettingsError(f"{out}/segments.jsonl: not a run's records: {exc}") from None


BENCH_SIZES = {"run": "100,1000,10000", "terms": "10,1000,10000"}


def _bench(args) -> int:
    from .bench import bench_garble, bench_run, bench_terms, format_garble, format_run, format_terms

    repeats = max(1, args.repeats or (3 if args.target == "run" else 1 if args.target == "extraction" else 7))
    if args.target == "extraction":
        from .bench import bench_extraction, format_extraction
        folder = Path(args.pages) if args.pages else Path(__file__).resolve().parents[1] / "fixtures"
        pages = sorted(p for p in folder.glob("*") if p.suffix.lower() in (".html", ".htm"))
        if not pages:
            print(f"error: no .html pages in {folder}", file=sys.stderr)
            return EXIT_USAGE
        snippets = None
        if args.snippets:
            try:
                snippets = json.loads(Path(args.snippets).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                print(f"error: --snippets {args.snippets}: {exc}", file=sys.stderr)
                return EXIT_USAGE
        print(format_extraction(bench_extraction(pages, repeats, snippets)))
        return EXIT_OK
    if args.target == "lm":
        from .bench.lm_judge import bench_lm, format_lm
        from .checks import lm
        try:
            print(format_lm(bench_lm(args.repeats or 3)))
        except lm.LanguageModelUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    if args.target == "targets":
        from .bench.targets import bench_targets, format_targets
        print(format_targets(bench_targets(args.repeats or 3)))
        return EXIT_OK
    if args.target == "garble":
        from .checks.parse import installed_model
        paths = ["none"] + (["spacy"] if installed_model() else [])
        print(format_garble([bench_garble(repeats, parser=path) for path in paths]))
        return EXIT_OK
    try:
        sizes = [int(n) for n in (args.sizes or BENCH_SIZES[args.target]).split(",")]
        jobs = [int(n) for n in args.jobs.split(",")]
        glossary_sizes = [int(n) for n in args.glossary_sizes.split(",")] if args.glossary_sizes else []
    except ValueError:
        print("error: --sizes, --jobs and --glossary-sizes must be numbers separated by commas", file=sys.stderr)
        return EXIT_USAGE
    if args.target == "run":
        print(format_run(bench_run(sizes, jobs, repeats, glossary_sizes)))
    else:
        print(format_terms(bench_terms(sizes, repeats)))
    return EXIT_OK


def _print_history(folder: Path, which: str) -> int:
    """`review DIR --history DOC#INDEX`: the segment's decisions, oldest first."""
    from .decisions.store import FILE_NAME, ReviewStore

    doc, _, index = which.rpartition("#")
    record = None
    with open(folder / "segments.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["doc"] == doc and str(r["index"]) == index:
                record = r
                break
    if record is None:
        print(f"error: no segment {which} in {folder} (expected DOC#INDEX, as the pages number them)",
              file=sys.stderr)
        return EXIT_USAGE
    print(f"{doc} #{index}: {record['cleaned']}")
    if not (folder / FILE_NAME).is_file():
        print("  no decisions: the folder has no review database")
        return EXIT_OK
    with ReviewStore(folder / FILE_NAME, read_only=True) as store:
        history = store.history(doc, record["key"])
    for d in history:
        what = {"post-edit": f"post-edit “{d.new_text}”", "dismiss-flag": f"dismiss-flag {d.code}",
                "reject-edit": f"reject-edit {d.rule} “{d.before}” → “{d.after}”",
                "accept-edit": f"accept-edit {d.rule} “{d.before}” → “{d.after}”"}.get(d.action, d.action)
        back = f", taken back {d.undone_at}" if d.undone_at else ""
        print(f"  {d.made_at or 'undated'}  {d.reviewer or 'unknown'}: {what}{back}")
    if not history:
        print("  no decisions yet")
    return EXIT_OK


def _review(args) -> int:
    import sqlite3

    from .decisions.store import FILE_NAME, StoreError

    folder = Path(args.folder)
    if not (folder / "index.html").is_file() or not (folder / "segments.jsonl").is_file():
        print(f"error: {folder}: not an output folder of run (no index.html and segments.jsonl)", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.history:
            return _print_history(folder, args.history)
        if args.export:
            from .review.export import export_reviewed
            written = export_reviewed(folder)
            print(f"{counted(written['decisions'], 'decision')}, {counted(written['post_edits'], 'post-edit')} in "
                  f"{counted(written['documents'], 'document')} -> {written['path']}", file=sys.stderr)
            for item in written["stale"]:
                print(f"  stale post-edit of {item['doc']} #{item.get('index')}: its segment changed since",
                      file=sys.stderr)
            for item in written["unapplied"]:
                print(f"  {item['doc']} #{item['index']}: a rejected edit was built on by a later one; the sentence "
                      f"is as cleaned (run ... --decisions {folder / 'review.sqlite'} gives it whole)", file=sys.stderr)
            return EXIT_OK
        from .review.server import serve
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            print(f"warning: listening on {args.host}: anyone who can reach it can read the pages "
                  f"(decisions need the page's token)", file=sys.stderr)

        def ready(address: str) -> None:
            print(f"reviewing {folder} at {address} (decisions go to {folder / FILE_NAME}); Ctrl-C stops",
                  file=sys.stderr, flush=True)
            if args.open:
                import webbrowser
                webbrowser.open(address)

        serve(folder, args.host, args.port, ready, reviewer=args.reviewer, suppressions=args.suppressions)
    except StoreError as exc:
        _say_error(exc)
        return EXIT_USAGE
    except (ValueError, KeyError, sqlite3.DatabaseError) as exc:  # segments.jsonl, summary.json or the database damaged
        print(f"error: {folder}: an output file or the review database is damaged ({type(exc).__name__}: {exc}); "
              f"run the batch again into it", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the port is taken, the folder cannot be written
        print(f"error: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return EXIT_OK


def _evaluate(args) -> int:
    from .evaluation.evaluate import (cross_validate, evaluate, format_lists, format_problems, format_side_by_side,
                                      format_table, lists, load_labels, pct)
    from .evaluation.figures import side_by_side
    from .run.batch import BuiltStages
    from .stages.garble import prepare_judge

    try:
        settings = _settings(args)
        settings, judge_note = prepare_judge(settings)
        if judge_note:
            print(f"note: {judge_note}; evaluating the rules judge", file=sys.stderr)
        built = BuiltStages.of(settings)
        if not Path(args.docs).is_dir():
            raise SettingsError(f"--docs {args.docs}: no such folder")
        result = evaluate([label for path in args.labels for label in load_labels(path)], args.docs, settings, built,
                          controls_dir=args.controls)
    except (SettingsError, GlossaryError) as exc:
        _say_error(exc)
        return EXIT_USAGE
    from .evaluation import statistics as stats

    parser = next((s.parser for s in built.stages if getattr(s, "parser", None)), None)
    path = f"parser {parser.name}" if parser else "no parser (word-class heuristics)"
    path += ", language-model judge" if result.judge == "lm" else ""
    heading = f"in-sample (the shipped weights), {path}"
    judges = None
    if args.cv:
        judges = side_by_side(result) if result.judge == "lm" else None
        thresholds = cross_validate(result)
        low, high = min(thresholds.values(), default=0), max(thresholds.values(), default=0)
        from .evaluation.fit import FOLDS_OF_MANY, MANY_DOCUMENTS
        many = result.controls or len(thresholds) > MANY_DOCUMENTS  # as `evaluation.fit.outer_folds` splits them
        folds = f"documents in {FOLDS_OF_MANY} folds" if many else "one fold per document"
        heading = (f"cross-validated by document: {len(thresholds)} documents, {folds}, thresholds {low:.2f} to "
                   f"{high:.2f}, {path}")
    curves = [(name, figures["curve"]) for name, figures in judges.items()] if judges else [
        (result.judge, stats.pr_curve(result))]
    if args.format == "json":
        from .evaluation.figures import as_json
        data = as_json(result, heading, with_lists=not args.summary,
                       ablation=stats.ablation(result) if args.ablate and args.cv else None)
        if judges:
            data["judges"] = {name: {k: v for k, v in figures.items() if k != "curve"} for name, figures in judges.items()}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(heading + "\n")
    print(format_table(result))
    if judges:
        print("\n" + format_side_by_side(judges))
    intervals = stats.bootstrap(result)
    kinds, sites = stats.by_group(result, "kind"), stats.by_group(result, "site")
    print("\n" + stats.format_intervals(intervals))
    print("\n" + stats.format_groups(kinds, "kind") + "\n\n" + stats.format_groups(sites, "site"))
    ablation = stats.ablation(result) if args.ablate and args.cv else None
    if ablation:
        print("\n" + stats.format_ablation(ablation))
    if not args.summary:
        print("\n" + format_lists(result))
    if result.problems:
        print(format_problems(result).lstrip("\n"))
    if args.html:
        from .outputs.report import render_evaluation
        page = render_evaluation(result, heading, intervals, kinds, sites, stats.reliability(result), curves, ablation,
                                 lists(result), pct)
        try:
            Path(args.html).write_text(page, encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.html}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK


def _glossary(args) -> int:
    from .glossary import load_glossary, validate, write_glossary
    from .glossary.stats import describe, statistics

    try:
        if args.tool == "convert":
            if Path(args.source).resolve() == Path(args.output).resolve():
                raise GlossaryError([f"{args.output}: output would overwrite the input"])
            glossary = load_glossary(args.source)
            errors, _ = validate([glossary])
            if errors:
                raise GlossaryError(errors)
            write_glossary(glossary, args.output)
            print(f"wrote {len(glossary.entries)} entries to {args.output}", file=sys.stderr)
            return EXIT_OK
        glossaries, problems, warnings = [], [], []
        for path in args.files:
            if Path(path).suffix.lower() not in FORMATS:  # "glossaries/*" also names README.md
                print(f"note: {path}: skipped, not a glossary file ({', '.join(sorted(FORMATS))})", file=sys.stderr)
                continue
            try:
                glossaries.append(load_glossary(path))
            except GlossaryError as exc:
                problems.extend(exc.problems)
        if not glossaries and not problems:
            raise GlossaryError(["no glossary file among the files named"])
        errors, warnings = validate(glossaries)
        for message in warnings:
            print(f"warning: {message}", file=sys.stderr)
        if problems or errors:
            raise GlossaryError(problems + errors)
    except GlossaryError as exc:
        if args.tool == "check" and args.format == "json":
            _print_json({"valid": False, "files": [], "errors": exc.problems, "warnings": warnings})
        for message in exc.problems:
            print(f"error: {message}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        _print_json({"valid": True, "files": [{"path": str(g.path), **statistics(g)} for g in glossaries],
                     "errors": [], "warnings": warnings})
        return EXIT_OK
    for glossary in glossaries:
        print(f"{glossary.path}: " + describe(statistics(glossary)))
    print(f"valid: {len(glossaries)} file(s), {sum(len(g.entries) for g in glossaries)} entries, "
          f"{len(warnings)} warning(s)")
    return EXIT_OK


def _say_error(exc: Exception) -> None:
    """One "error:" line per problem (an invalid rules file names each of its problems)."""
    for line in str(exc).splitlines() or [""]:
        print(f"error: {line}", file=sys.stderr)


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _run(args, settings) -> int:
    """A run; with `-` among the inputs or `--out -`, through a folder of its own that
    holds standard input as a file and the outputs until segments.jsonl is written out."""
    if "-" not in args.inputs and args.out != "-":
        return _run_batch(args, settings, args.inputs, args.out)
    scratch = Path(tempfile.mkdtemp(prefix="pipeline-"))
    try:
        inputs = [str(_standard_input(scratch)) if i == "-" else i for i in args.inputs]
        if args.out != "-":
            return _run_batch(args, settings, inputs, args.out)
        args.no_report, args.no_cache = True, True  # only segments.jsonl leaves the folder
        status = _run_batch(args, settings, inputs, str(scratch / "out"))
        segments = scratch / "out" / "segments.jsonl"
        if segments.is_file():
            with open(segments, "rb") as fh:
                shutil.copyfileobj(fh, sys.stdout.buffer)
            sys.stdout.flush()
        return status
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _standard_input(folder: Path) -> Path:
    """Standard input kept as a file of `folder`: stdin.jsonl when every line holds a
    JSON object, else stdin.txt (the reader detects its encoding as for any file)."""
    data = sys.stdin.buffer.read()
    path = folder / ("stdin.jsonl" if _is_jsonl(data) else "stdin.txt")
    path.write_bytes(data)
    return path


def _is_jsonl(data: bytes) -> bool:
    try:
        lines = [line for line in data.decode("utf-8").splitlines() if line.strip()]
        return bool(lines) and all(isinstance(json.loads(line), dict) for line in lines)
    except (UnicodeDecodeError, ValueError):
        return False


def _run_batch(args, settings, inputs: list[str], out: str) -> int:
    from concurrent.futures import BrokenExecutor

    from .run.baseline import fails
    from .run.batch import Progress, run_batch  # keeps `--help` fast
    from .run.executors import executor_for
    from .run.terminal import RunProgress, say_result

    shown = RunProgress(quiet=args.quiet)
    try:
        progress = Progress(started=shown.started, file_done=shown.file_done, problem=shown.problem)
        executor = executor_for(args.executor, args.jobs, args.scheduler, fork=settings.judge != "lm")
        profile = profile_record(args.profile, profile_file(args.profile)) if args.profile else None
        result = run_batch(inputs, out, settings, executor=executor,
                           reports=not args.no_report, cache=not args.no_cache, baseline=args.baseline,
                           progress=progress, profile=profile)
    except SettingsError as exc:
        _say_error(exc)
        return EXIT_USAGE
    except GlossaryError as exc:
        for message in exc.problems:
            print(f"error: {message}", file=sys.stderr)
        print("error: the glossary is invalid; nothing was processed", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the output folder filled up or went away during the run
        print(f"error: {exc.filename or out}: {exc.strerror or exc}; the run stopped "
              f"(the folder is marked INCOMPLETE)", file=sys.stderr)
        return EXIT_SOME_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenExecutor as exc:  # a worker process was killed (out of memory, a signal)
        print(f"error: a worker process ended abruptly ({exc}); the run stopped (the folder is marked INCOMPLETE)",
              file=sys.stderr)
        return EXIT_SOME_FAILED
    finally:
        shown.close()
    say_result(result, "standard output" if args.out == "-" else out, args.baseline, quiet=args.quiet)
    comparison = result.summary.get("baseline")
    if args.format == "json":
        _print_json({key: result.summary[key] for key in ("totals", "failures", "decisions", "baseline")
                     if key in result.summary})
    if comparison is not None and args.fail_on in ("warning", "error") and fails(comparison, args.fail_on):
        return EXIT_NEW_FLAGS
    if args.fail_on == "lqa" and not result.summary["quality"]["passed"]:
        return EXIT_NEW_FLAGS
    return EXIT_SOME_FAILED if result.failures else EXIT_OK
