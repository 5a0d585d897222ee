"""What a killed build would leave behind, and how it does not.

    folder = make(parent, ".site.new-")          # .site.new-<pid>-<random>
    remove_stale(parent, ".site.new-")           # those of processes no longer running
    subprocess.run(..., preexec_fn=die_with_parent)

A build killed with SIGKILL cannot clean up after itself: its temporary folders say which
process made them, and the next build removes those whose process is gone (a folder of a
build still running at the same time is left alone). Its children and the binaries they
start ask the kernel to end them when their parent ends, so none lives on.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import tempfile
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to SIGTERM this process when its parent dies (Linux; else nothing).

    With `parent`, exit at once if that process is already gone.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before the request was made


def make(parent: Path, prefix: str, owner: int | None = None) -> Path:
    """A new empty folder `parent/<prefix><pid>-<random>`, named after this process or
    `owner` (a build whose child writes the folder for it)."""
    Path(parent).mkdir(parents=True, exist_ok=True)
    pid = owner if owner is not None else os.getpid()
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{pid}-", dir=parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(parent: Path, prefix: str) -> list[Path]:
    """Remove `parent/<prefix><pid>-*` folders whose process is gone; return them."""
    removed = []
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir():
            continue
        pid_text = entry.name[len(prefix):].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _alive(int(pid_text)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed
