"""When each case and guide last changed, from the project's git history: the date a reader
sees at the foot of the page (最終更新日).

One `git log` over the case and guide folders gives every file's last commit; a project that
is not a git repository (or has no git) simply shows no dates.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from casebook.library import Library
from casebook.pages import Page

# The theme (Material's source-file partial) prints this page key as the last-updated date.
DATE_KEY = "revision_date"
GIT_TIMEOUT = 60.0


def last_changed(root: Path, folders: Iterable[str]) -> dict[str, date]:
    """Path relative to `root` → the commit date of the last commit that changed it."""
    try:
        out = subprocess.run(
            # quotepath off: a file named in Japanese is listed as it is, not "\345\257…".
            ["git", "-C", str(root), "-c", "core.quotepath=off", "log", "--relative",
             "--no-renames", "--format=%x00%cs", "--name-only", "--", *folders],
            capture_output=True, text=True, timeout=GIT_TIMEOUT, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, date] = {}
    when: date | None = None
    for line in out.splitlines():
        if line.startswith("\0"):
            when = date.fromisoformat(line[1:].strip())
        elif line.strip() and when is not None:
            dates.setdefault(line.strip(), when)  # newest first: the first date is the last
    return dates


def japanese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def stamp_dates(pages: list[Page], library: Library, root: Path,
                folders: Iterable[str]) -> None:
    """Put each case's and guide's last-changed date on its page (nothing when unknown)."""
    dates = last_changed(root, folders)
    if not dates:
        return
    sources = {doc.uri: doc.path for doc in [*(c.doc for c in library.cases),
                                              *(g.doc for g in library.guides)]}
    for page in pages:
        changed = dates.get(sources.get(page.src_uri, ""))
        if changed is not None:
            page.meta[DATE_KEY] = f"最終更新: {japanese_date(changed)}"
