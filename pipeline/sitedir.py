"""Building into a sibling folder and swapping it in at the end, so a failed build publishes
nothing: the previous `site/` stays exactly as it was.

    staged = StagedSite(Path("site"))      # writes go to site/../.site.new-<pid>-<random>/
    ...                                    # the whole build writes into staged.folder
    staged.commit()                        # two renames: the new site is in place
    staged.discard()                       # or: the build failed or was interrupted

A build killed before either leaves its folder behind; the next build removes it
(search/leftovers.py). The swap is two renames, not one: a reader of `site/` sees the old
site or the new one, except for the instant between them.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from search import leftovers

# Held while a folder of the served site is swapped: `mkdocs serve` moves a new search bundle
# into the site from a second thread (pipeline/build.py).
SWAP_LOCK = threading.Lock()


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder `new` where `target` is, and remove the old `target`."""
    old = None
    if target.exists():
        old = leftovers.make(target.parent, f".{target.name}.old-")
        os.replace(target, old / target.name)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class StagedSite:
    """A site folder written next to its final place and moved there when complete."""

    def __init__(self, final: Path) -> None:
        self.final = Path(final).resolve()
        parent, name = self.final.parent, self.final.name
        self._new_prefix, self._old_prefix = f".{name}.new-", f".{name}.old-"
        leftovers.remove_stale(parent, self._new_prefix)
        leftovers.remove_stale(parent, self._old_prefix)
        self.folder = leftovers.make(parent, self._new_prefix)
        self.folder.chmod(0o755)  # mkdtemp makes it private; a site is as readable as any
        self.done = False
        # Ctrl-C propagates out of the build: the interpreter exits and this runs.
        atexit.register(self.discard)

    def commit(self, carry: Iterable[str] = ()) -> None:
        """Put the new site in place of the old one.

        `carry`: folders of the old site moved into the new one if it has none of its own
        (`mkdocs serve` keeps the last search bundle until the new one is ready).
        """
        if self.done:
            return
        with SWAP_LOCK:
            if self.final.exists() or self.final.is_symlink():
                for name in carry:
                    if (self.final / name).is_dir() and not (self.folder / name).exists():
                        os.replace(self.final / name, self.folder / name)
                old = leftovers.make(self.final.parent, self._old_prefix)
                os.replace(self.final, old / self.final.name)
                os.replace(self.folder, self.final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(self.folder, self.final)
        self._finished()

    def discard(self) -> None:
        """Throw the new site away; the old one was never touched."""
        if self.done:
            return
        shutil.rmtree(self.folder, ignore_errors=True)
        self._finished()

    def _finished(self) -> None:
        self.done = True
        atexit.unregister(self.discard)
