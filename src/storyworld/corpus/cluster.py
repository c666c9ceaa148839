"""The Dask engine: a client on an existing scheduler, or on a LocalCluster bound to loopback.

Workers must be able to import storyworld and to read the story paths (a shared filesystem when
the cluster spans machines). Needs the optional extra: pip install 'storyworld[dask]'.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from storyworld.corpus.worker import init_worker
from storyworld.errors import E, StoryworldError

try:
    from distributed import Client, LocalCluster, WorkerPlugin, as_completed
except ImportError:  # the extra is optional: say how to get it, at the point it is needed
    raise StoryworldError(E.E023, feature="--engine dask", package="distributed", extra="dask") from None

__all__ = ["as_completed", "cluster_client"]


class LoadModel(WorkerPlugin):
    """The Dask counterpart of the process pool's initializer: load the model once per worker."""

    def setup(self, worker: object) -> None:
        init_worker()


@contextmanager
def cluster_client(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client on `scheduler`, or on a new LocalCluster of `workers` single-threaded processes."""
    cluster = None
    try:
        if scheduler is not None:
            client = Client(scheduler, timeout="15s")
        else:
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            client = Client(cluster)
    except OSError as err:
        if cluster is not None:
            cluster.close()
        raise StoryworldError(E.E024, address=scheduler or "127.0.0.1", reason=err) from None
    try:
        client.register_plugin(LoadModel(), name="storyworld-load-model")
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
