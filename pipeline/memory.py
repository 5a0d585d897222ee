"""Give memory the build has let go of back to the system.

CPython returns freed objects to the C allocator, which keeps the pages for later use: the
build's resident size stays at its high-water mark although most of what it held (the index
documents handed to a child, each page's HTML once written) is free. `give_back()` asks glibc
to return those pages (malloc_trim also releases whole free pages inside the heap). On other C
libraries it does nothing.
"""

from __future__ import annotations

import ctypes
import functools


@functools.cache
def _trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return free heap pages to the system (glibc); a few ms for a heap of 1 GB."""
    trim = _trim()
    if trim is not None:
        trim(0)
