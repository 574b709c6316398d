"""Connecting to a Dask cluster for `run --executor dask` (the optional `dask` extra).

The batch sends documents to the cluster's workers in chunks; each worker builds the
stages once from the (small) settings and keeps them. Workers need the same pipeline
version and glossary files as the machine that starts the run (see docs/throughput.md).
"""

from __future__ import annotations

from contextlib import contextmanager

from .config import SettingsError

CONNECT_TIMEOUT = "20s"


@contextmanager
def dask_client(scheduler: str | None, workers: int):
    """A client of the cluster at `scheduler` (e.g. tcp://10.0.0.5:8786), or of a local
    cluster of `workers` single-threaded worker processes started for this run."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SettingsError('--executor dask needs Dask: pip install ".[dask]"') from None
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise SettingsError(f"--scheduler {scheduler}: cannot reach the Dask scheduler: {exc}") from None
        with client:
            if not client.nthreads():
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            yield client
        return
    # processes, one thread each: the stages are pure Python and hold the GIL
    with LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client
