"""Search data built in a second process while the site build goes on with the pages.

    search_data = InBackground(search_data, library, Path(".casebook-index"))
    ...                                          # the other core renders the site meanwhile
    spellings = search_data.wait("spellings")    # SearchError if the work failed
    stats = search_data.wait("index")

The Whoosh index and the spellings Pagefind adds need only the parsed library, not the
rendered pages, so on a two-core machine they cost the build no wall time as long as
rendering takes longer. The spellings come first, so Pagefind can start while the index
is still being written.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from casebook.library import Library
from search.errors import SearchError
from search.index import build_index
from search.pagefind import PagefindError, PagefindStats, SiteIndexer, SpellingVariants


def site_texts(library: Library) -> list[str]:
    """What every page is made from (with the vocabulary): the site's words are in these."""
    return [document.doc.body for document in (*library.cases, *library.guides)
            if not getattr(document, "is_draft", False)]


def search_data(library: Library, index_dir: Path,
                spellings: bool = True) -> Iterator[tuple[str, object]]:
    """("spellings", SpellingVariants) if asked, then ("index", IndexStats) once written."""
    if spellings:
        yield "spellings", SpellingVariants.build(library.vocabulary, site_texts(library))
    yield "index", build_index(library.cases, index_dir)


def can_fork() -> bool:
    """Whether work can go to a forked process here (not on Windows or macOS' default)."""
    return "fork" in multiprocessing.get_all_start_methods()


class _Forked:
    """A forked process that sends (outcome, name, value) messages back through a pipe.

    With `inbox`, it is also handed a Queue to read messages from; put() returns at once (a
    thread sends them), so the sender never waits for the child.
    """

    def __init__(self, target: Callable, *args: object, name: str, inbox: bool = False) -> None:
        context = multiprocessing.get_context("fork")
        self.inbox = context.Queue() if inbox else None
        if self.inbox is not None:
            self.inbox.cancel_join_thread()  # a dead child must not hang this process at exit
        self._channel, sender = context.Pipe(duplex=False)
        head = (sender, self.inbox) if inbox else (sender,)
        self._process = context.Process(target=target, args=(*head, *args), name=name,
                                        daemon=True)
        self._process.start()
        sender.close()  # the child holds the only sending end: EOF if it dies

    @property
    def running(self) -> bool:
        return self._process is not None

    def receive(self, died: str) -> tuple[str, str, object]:
        """The child's next message; ("error", "", died) if it ended without one."""
        try:
            return self._channel.recv()
        except EOFError:
            return "error", "", died

    def close(self) -> None:
        self._process.join()
        self._channel.close()
        if self.inbox is not None:
            self.inbox.close()
        self._process = None

    def terminate(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self.close()


def _send_failure(sender, error: BaseException) -> None:
    sender.send(("error", "", f"{type(error).__name__}: {error}"))


class InBackground:
    """`work(*args)`, an iterator of (name, result) pairs, in a forked process.

    `wait(name)` returns a result as soon as the child has sent it. Forked, so the child
    reads the parsed library from memory instead of having it pickled (only results travel
    back). Where fork is not available the work is done at once, here.
    """

    def __init__(self, work: Callable[..., Iterator[tuple[str, object]]], *args: object) -> None:
        self._results: dict[str, object] = {}
        self._child: _Forked | None = None
        self._failure: str | None = None
        if not can_fork():
            self._results.update(work(*args))
            return
        self._child = _Forked(_run_in_child, work, args, name=f"casebook-{work.__name__}")

    def wait(self, name: str) -> object:
        """The result called `name`; SearchError with the child's error if it failed."""
        while name not in self._results:
            if self._failure is not None:
                raise SearchError(f"building the search data failed: {self._failure}")
            if self._child is None or not self._child.running:
                raise SearchError("the search data was cancelled before it was built")
            outcome, key, value = self._child.receive("the process ended without a result")
            if outcome == "result":
                self._results[key] = value
            elif outcome == "done":
                self._child.close()
                if name not in self._results:
                    raise SearchError(f"the search data has no '{name}'")
            else:
                self._child.close()
                self._failure = value
        return self._results[name]

    def cancel(self) -> None:
        """Stop work still running (a rebuild started, or the site build failed)."""
        if self._child is not None:
            self._child.terminate()


# The index yields the cores to the build's own process, which everything waits for, and to
# Pagefind's process, whose backlog of pages is waited for at the end; the index has time
# to spare (bench/README.md).
INDEX_NICENESS = 5


def _lower_priority(niceness: int = INDEX_NICENESS) -> None:
    try:
        os.nice(niceness)
    except OSError:  # not permitted here: run at the same priority
        pass


def _run_in_child(sender, work: Callable, args: tuple) -> None:
    _lower_priority()
    try:
        for key, value in work(*args):
            sender.send(("result", key, value))
        sender.send(("done", "", None))
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        _send_failure(sender, error)
    finally:
        sender.close()


class PagefindFeed:
    """A `SiteIndexer` in a forked process, handed each page as the site engine writes it.

        feed = PagefindFeed(site_dir, vocabulary, site_texts(library), skip=[...])
        feed.add("cases/a-parts/index.html", html)     # returns at once
        stats = feed.finish()                          # PagefindError if anything failed

    The process first collects the other spellings from `texts`, then spells and writes
    each page's copy as it arrives, on the other core while the rest of the site is
    rendered; only Pagefind itself runs after the last page. Needs fork (`can_fork`).
    """

    def __init__(self, site_dir: Path, vocabulary, texts: list[str], **options) -> None:
        self._child = _Forked(_feed_child, site_dir, vocabulary, texts, options,
                              name="casebook-pagefind", inbox=True)

    def add(self, path: str, html_text: str) -> None:
        if self._child.running:
            self._child.inbox.put(("add", path, html_text))

    def finish(self) -> PagefindStats:
        if not self._child.running:
            raise PagefindError("the Pagefind index was cancelled before it was written")
        self._child.inbox.put(("finish",))
        outcome, _, value = self._child.receive("the Pagefind process ended without a result")
        self._child.close()
        if outcome != "done":
            raise PagefindError(value)
        return value

    def cancel(self) -> None:
        self._child.terminate()


def _feed_child(sender, inbox, site_dir: Path, vocabulary, texts: list[str],
                options: dict) -> None:
    indexer = None
    # cancel() terminates: leave through `finally`, which removes the copies.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        variants = SpellingVariants.build(vocabulary, texts)
        indexer = SiteIndexer(site_dir, vocabulary, variants=variants, **options)
        while True:
            message = inbox.get()
            if message[0] == "add":
                indexer.add(message[1], message[2])
            else:
                sender.send(("done", "", indexer.finish()))
                return
    except PagefindError as error:
        sender.send(("error", "", str(error)))
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        _send_failure(sender, error)
    finally:
        if indexer is not None:
            indexer.discard()
        sender.close()
