"""Search data built in a second process while the site build goes on with the pages.

    search_data = InBackground(build_search_data, library, Path(".casebook-index"))
    ...                                  # the other core renders the site meanwhile
    data = search_data.wait()            # SearchError if the work failed

The Whoosh index and the spellings Pagefind adds need only the parsed library, not the
rendered pages, so on a two-core machine they cost the build no wall time as long as
rendering takes longer.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from casebook.library import Library
from search.errors import SearchError
from search.index import IndexStats, build_index
from search.pagefind import SpellingVariants

T = TypeVar("T")


@dataclass(frozen=True)
class SearchData:
    """What a site build's search needs from the library, and how long it took."""

    index: IndexStats
    spellings: SpellingVariants
    spellings_seconds: float


def build_search_data(library: Library, index_dir: Path) -> SearchData:
    """Write the Whoosh index of the cases; collect the other spellings of the site's words."""
    index = build_index(library.cases, index_dir)
    started = time.perf_counter()
    # Every page is made from these texts and the vocabulary, so their words are the site's.
    texts = [document.doc.body for document in (*library.cases, *library.guides)
             if not getattr(document, "is_draft", False)]
    spellings = SpellingVariants.build(library.vocabulary, texts)
    return SearchData(index, spellings, time.perf_counter() - started)


class InBackground(Generic[T]):
    """`function(*args)` in a forked process; `wait()` for its result.

    Forked, so the child reads the parsed library from memory instead of having it pickled
    (only the result travels back). Where fork is not available it runs at once, here.
    """

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self._done = False
        self._result: T | None = None
        self._process = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self._result, self._done = function(*args), True
            return
        context = multiprocessing.get_context("fork")
        self._results, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_in_child, args=(sender, function, args),
                                        name=f"casebook-{function.__name__}", daemon=True)
        self._process.start()
        sender.close()  # the child holds the only sending end: EOF if it dies

    def wait(self) -> T:
        """The result; SearchError with the child's error if it failed or was cancelled."""
        if self._done:
            return self._result  # type: ignore[return-value]
        if self._process is None:
            raise SearchError("the search data was cancelled before it was built")
        try:
            outcome, value = self._results.recv()
        except EOFError:
            outcome, value = "error", "the process ended without a result"
        self._process.join()
        code = self._process.exitcode
        self._results.close()
        self._process = None
        if outcome != "done":
            raise SearchError(f"building the search data failed: {value} (exit {code})")
        self._result, self._done = value, True
        return value

    def cancel(self) -> None:
        """Stop work still running (a rebuild started, or the site build failed)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._results.close()
            self._process = None


def _run_in_child(sender, function: Callable, args: tuple) -> None:
    try:
        sender.send(("done", function(*args)))
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        sender.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()
