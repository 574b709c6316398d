"""Where the documents of a run are processed: here, in a pool of local processes, or on
the workers of a Dask cluster.

An executor only moves work: it takes the run's items in input order, hands each
document (alone here, in chunks elsewhere) to `work`, and gives back every item with
documents replaced by what `work` returned for them, still in input order. Items that
are not documents (failures, reused documents, end-of-file marks) pass straight through.
Executors know nothing of stages, outputs or the re-run cache; `work` is a picklable
callable (`chunk -> results`, one result per document) that the batch gives them.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from ..config import SettingsError
from ..document import Document

Work = Callable[[list[Document]], list]

CHUNK = 8  # documents per task: fewer round trips, and still several tasks per worker in flight
WINDOW_PER_WORKER = 3  # chunks in flight per worker: enough to keep it busy, few enough to keep memory flat


@dataclass(frozen=True)
class InProcess:
    """Each document processed here and now, one at a time."""

    forks = False  # whether workers start as copies of this process (and share its memory)
    workers = 1  # processes working at once on this machine (they share its cores)

    def map_in_order(self, work: Work, items: Iterable) -> Iterator:
        for path, item in items:
            yield path, work([item])[0] if isinstance(item, Document) else item


@dataclass(frozen=True)
class ProcessPool:
    """`jobs` local worker processes, which end when the run that started them is gone."""

    jobs: int
    # How workers start: the platform's default (a fork of this process on Linux), or
    # "forkserver" when this process may hold what a fork cannot copy (llama.cpp's OpenMP
    # threads: a child forked after them hangs in its first parallel region).
    start: str | None = None

    @property
    def forks(self) -> bool:
        return (self.start or multiprocessing.get_start_method()) == "fork"  # Linux's default; macOS, Windows spawn

    @property
    def workers(self) -> int:
        return self.jobs

    def map_in_order(self, work: Work, items: Iterable) -> Iterator:
        context = multiprocessing.get_context(self.start) if self.start else None
        with ProcessPoolExecutor(max_workers=self.jobs, initializer=end_with_parent, mp_context=context,
                                 initargs=(os.getpid(),)) as pool:
            yield from in_order(items, lambda chunk: pool.submit(work, chunk), WINDOW_PER_WORKER * self.jobs)


CONNECT_TIMEOUT = "20s"


@dataclass(frozen=True)
class DaskCluster:
    """The workers of the Dask cluster at `scheduler` (e.g. tcp://10.0.0.5:8786), or of a
    local cluster of `jobs` single-threaded worker processes started for this run. The
    workers need the same pipeline version and glossary files (docs/throughput.md)."""

    scheduler: str | None = None
    jobs: int = 1
    forks = False

    @property
    def workers(self) -> int:
        """Workers on this machine: a remote cluster's share other machines' cores."""
        return 1 if self.scheduler else max(1, self.jobs)

    def map_in_order(self, work: Work, items: Iterable) -> Iterator:
        with self._client() as client:
            workers = max(1, sum(client.nthreads().values()))
            yield from in_order(items, lambda chunk: client.submit(work, chunk, pure=False),
                                WINDOW_PER_WORKER * workers)

    @contextmanager
    def _client(self):
        try:
            from distributed import Client, LocalCluster  # only here: Dask is an optional extra
        except ImportError:
            raise SettingsError('--executor dask needs Dask: pip install ".[dask]"') from None
        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise SettingsError(f"--scheduler {self.scheduler}: cannot reach the Dask scheduler: {exc}") from None
            with client:
                if not client.nthreads():
                    client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
                yield client
            return
        # processes, one thread each: the stages are pure Python and hold the GIL
        with LocalCluster(n_workers=max(1, self.jobs), threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client


def executor_for(kind: str, jobs: int, scheduler: str | None = None, fork: bool = True):
    """The executor the command line asks for (`--executor`, `--jobs`, `--scheduler`);
    `fork=False` when the run's stages load something a fork cannot copy (the
    language-model judge), so local workers start from a fresh process instead."""
    if kind == "dask":
        return DaskCluster(scheduler, jobs)
    if jobs <= 1:
        return InProcess()
    return ProcessPool(jobs) if fork or sys.platform == "win32" else ProcessPool(jobs, "forkserver")


_SENT = object()  # where a chunk's result goes among the items passed through in order


def in_order(items: Iterable, submit: Callable, window_size: int) -> Iterator:
    """Submit documents `CHUNK` at a time through a window of at most `window_size` chunks
    in flight (so memory stays flat however long the batch); yield every item, processed
    or passed through, in input order."""
    window: deque = deque()  # (entries, future) per chunk
    entries: list = []  # (path, item), with _SENT standing for each document sent
    docs: list[Document] = []
    for path, item in items:
        if isinstance(item, Document):
            docs.append(item)
            item = _SENT
        entries.append((path, item))
        if len(docs) >= CHUNK:
            window.append((entries, submit(docs)))
            entries, docs = [], []
            while len(window) > window_size:
                yield from _settle(*window.popleft())
    if entries:
        window.append((entries, submit(docs) if docs else None))
    while window:
        yield from _settle(*window.popleft())


def _settle(entries: list, future):
    results = iter(future.result() if future is not None else ())
    for path, item in entries:
        yield path, next(results) if item is _SENT else item


PARENT_CHECK = 0.5  # seconds between a worker's looks at its parent


def end_with_parent(parent: int) -> None:
    """A pool worker's start: a thread that ends the worker once the run that started it
    is gone. A killed run (kill -9, out of memory) sends no word to its pool, and its
    workers would go on with their chunks for nobody. A forked worker's parent is the run;
    one started by a fork server has the server as parent, which ends with the run: the
    worker watches both."""
    first = os.getppid()

    def watch() -> None:
        while os.getppid() == first and _alive(parent):
            time.sleep(PARENT_CHECK)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
