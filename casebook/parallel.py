"""Independent work over many items on every core, in order, for the CPU-bound parts of a build.

    findings = map_in_processes(scan_one, jobs)    # same result as list(map(scan_one, jobs))

Worker processes are forked, so they share what this process has loaded (the Sudachi
dictionary, the vocabulary) and only the items and the results are pickled. Few items, or a
platform without fork, are mapped here in this process: starting workers costs more than
it saves below a few dozen files.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items the work is done in this process.
MIN_ITEMS = 64


def map_in_processes(function: Callable[[T], R], items: Sequence[T], *,
                     processes: int | None = None, min_items: int | None = None,
                     before_fork: Callable[[], object] | None = None) -> list[R]:
    """`[function(item) for item in items]`, spread over `processes` (default: every core).

    `before_fork` runs only when workers are started, just before: what it loads (the Sudachi
    dictionary) the workers then share instead of each loading it again.
    """
    processes = processes or os.cpu_count() or 1
    threshold = MIN_ITEMS if min_items is None else min_items
    if (processes < 2 or len(items) < max(threshold, 2)
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [function(item) for item in items]
    # A few chunks per process: an uneven share (one long file) does not leave a core idle.
    chunksize = max(1, len(items) // (processes * 4))
    if before_fork is not None:
        before_fork()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return pool.map(function, items, chunksize=chunksize)
