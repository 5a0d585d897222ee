"""Work in other processes, with one fork policy and one error type.

    results = map_in_processes(read_one, jobs)          # same as [read_one(j) for j in jobs]
    index = Background(write_index, folder, fed=True)   # one forked child, started early …
    index.feed(documents)                               # … given its data when it is ready
    stats = index.wait("index")                         # WorkerError if the child failed

Processes are forked (Linux), so they share what the parent has loaded — the Sudachi
dictionary, the vocabulary — and only items and results are pickled. Where fork is not
available, or the work is small, it is done here, in this process.

A forked child keeps, as its own, most of the heap it was forked with: the parent goes on
writing to its objects (reference counts, the garbage collector), and each page it writes is
copied for it. So a child that lives long is forked early, before the build reads its files
(a few dozen MB of imports), and is fed what it needs through a pipe (`feed`): one item at a
time, from a thread, so neither side holds more than the item in flight (bench/README.md:
forked late, the two children of a 10,000-case build held some 900 MB each).

Every child asks the kernel to end it when its parent ends (PR_SET_PDEATHSIG), so a build
killed with SIGKILL or SIGTERM leaves no process behind; binaries a child starts (Pagefind)
get the same through `die_with_parent` as their `preexec_fn`.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import TypeVar

from search.leftovers import die_with_parent

T = TypeVar("T")
R = TypeVar("R")

# Below this many items the work is done in this process: starting workers costs more than
# it saves below a few dozen files.
MIN_ITEMS = 64
CHUNK_ITEMS = 64

class WorkerError(Exception):
    """Work in another process failed; the message says what the child reported."""


def can_fork() -> bool:
    """Whether work can go to a forked process here (not on Windows or macOS' default)."""
    return "fork" in multiprocessing.get_all_start_methods()


def map_in_processes(function: Callable[[T], R], items: Sequence[T], *,
                     processes: int | None = None, min_items: int | None = None,
                     before_fork: Callable[[], object] | None = None,
                     keep: Callable[[R], R] | None = None) -> list[R]:
    """`[function(item) for item in items]`, spread over `processes` (default: every core).

    `before_fork` runs only when workers are started, just before: what it loads (the Sudachi
    dictionary) the workers then share instead of each loading it again. `keep`, if given,
    is applied here to each result as it arrives (to make it smaller before the next comes).
    """
    keep = keep or (lambda result: result)
    processes = processes or os.cpu_count() or 1
    threshold = MIN_ITEMS if min_items is None else min_items
    if processes < 2 or len(items) < max(threshold, 2) or not can_fork():
        return [keep(function(item)) for item in items]
    # A few chunks per process: an uneven share (one long file) does not leave a core idle.
    # At most CHUNK_ITEMS: a worker holds a chunk's results until it sends them all (1,250
    # files' at 10,000 cases, with their pickled copy).
    chunksize = max(1, min(CHUNK_ITEMS, len(items) // (processes * 4)))
    if before_fork is not None:
        before_fork()
    parent = os.getpid()
    with multiprocessing.get_context("fork").Pool(processes, initializer=die_with_parent,
                                                  initargs=(parent,)) as pool:
        return [keep(result) for result in pool.imap(function, items, chunksize=chunksize)]


# The background child yields the cores to the build's own process, which everything waits
# for; it has time to spare while pages are rendered (bench/README.md).
BACKGROUND_NICENESS = 5


class Child:
    """A forked process running `target(channel, inbox, *args)`, talking through a pipe.

    The child sends (outcome, name, value) tuples with `channel.send`; with `inbox`, it reads
    messages the parent `put()`s (a thread sends them, so the parent never waits). With
    `fed`, the target is called as `target(channel, inbox, items, *args)`: `items` iterates
    over what the parent hands to `feed()`, as it arrives.
    """

    def __init__(self, target: Callable, *args: object, name: str, inbox: bool = False,
                 niceness: int = 0, fed: bool = False) -> None:
        context = multiprocessing.get_context("fork")
        self.name = name
        self.inbox = context.Queue() if inbox else None
        if self.inbox is not None:
            self.inbox.cancel_join_thread()  # a dead child must not hang this process at exit
        self._channel, sender = context.Pipe(duplex=False)
        self._feed: Connection | None = None
        self._feeder: threading.Thread | None = None
        receiver = None
        if fed:
            receiver, self._feed = context.Pipe(duplex=False)
            args = (_Fed(receiver, self._feed), *args)
        # The arguments reach the child through the fork, not through the Process object,
        # which would keep them alive here until the child ends (the index's documents, the
        # pages: hundreds of MB at 10,000 cases).
        key = next(_KEYS)
        _FORKED_ARGS[key] = (target, args)
        try:
            self._process = context.Process(
                target=_child_main, args=(key, sender, self.inbox, os.getpid(), niceness),
                name=name, daemon=True)
            self._process.start()
        finally:
            del _FORKED_ARGS[key]
        sender.close()  # the child holds the only sending end: EOF if it dies
        if receiver is not None:
            receiver.close()  # the child holds the only reading end: EPIPE here if it dies

    def feed(self, items: Iterable[object]) -> None:
        """Send `items` to the child, one at a time, from a thread (this process goes on).

        The iterable is read in that thread as the child takes the items, so a generator
        that makes or lets go of each item as it is sent holds one item at a time. An error
        raised by the iterable is the child's: it fails with it, and `receive()` says so.
        """
        if self._feed is None or self._feeder is not None:
            raise ValueError(f"{self.name}: no feed, or fed already")
        self._feeder = threading.Thread(target=_send_all, args=(self._feed, items),
                                        name=f"{self.name}-feed", daemon=True)
        self._feeder.start()

    @property
    def running(self) -> bool:
        return self._process is not None

    def put(self, message: object) -> None:
        if self._process is not None and self.inbox is not None:
            self.inbox.put(message)

    def receive(self) -> tuple[str, str, object]:
        """The child's next message; WorkerError if it ended without one."""
        try:
            return self._channel.recv()
        except EOFError:
            process = self._process
            self.close()  # joined first: the exit code is known only once it has ended
            code = process.exitcode if process is not None else None
            raise WorkerError(f"the process ended without a result ({_ending(code)})") \
                from None

    def close(self) -> None:
        if self._process is None:
            return
        self._process.join()
        self._channel.close()
        if self.inbox is not None:
            self.inbox.close()
        if self._feeder is not None:
            self._feeder.join()  # the child is gone: a send still waiting fails at once
        elif self._feed is not None:
            self._feed.close()
        self._process = None

    def terminate(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self.close()


def _ending(code: int | None) -> str:
    """How a child ended, in words: a signal by name (a negative exit code is one)."""
    if code is None or code >= 0:
        return f"exit code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        return f"exit code {code}"
    if -code == signal.SIGKILL:
        return f"killed by {name}, as the system does when memory runs out"
    return f"killed by {name}"


def _send_all(connection: Connection, items: Iterable[object]) -> None:
    try:
        try:
            for item in items:
                connection.send(("item", item))
        except (BrokenPipeError, ConnectionResetError):
            return  # the child ended (or was ended): it says why, or the build cancelled it
        except Exception as error:  # noqa: BLE001 - the child fails with the parent's error
            connection.send(("error", f"{type(error).__name__}: {error}"))
            return
        connection.send(("end", None))
    except OSError:
        pass
    finally:
        connection.close()


class _Fed:
    """The child's end of a feed: iterating yields the items the parent sends, once."""

    def __init__(self, connection: Connection, parent_end: Connection) -> None:
        self._connection = connection
        self._parent_end: Connection | None = parent_end

    def close_parent_end(self) -> None:
        """In the child: the copy of the sending end the fork gave it is not its own."""
        if self._parent_end is not None:
            self._parent_end.close()
            self._parent_end = None

    def __iter__(self) -> Iterator[object]:
        while True:
            try:
                kind, value = self._connection.recv()
            except EOFError:
                raise WorkerError("the build stopped sending this process its data") from None
            if kind == "end":
                return
            if kind == "error":
                raise WorkerError(f"making this process's data failed: {value}")
            yield value


_KEYS = itertools.count()
_FORKED_ARGS: dict[int, tuple[Callable, tuple]] = {}


def _child_main(key: int, sender, inbox, parent: int, niceness: int) -> None:
    target, args = _FORKED_ARGS.pop(key)
    if args and isinstance(args[0], _Fed):
        args[0].close_parent_end()
    die_with_parent(parent)
    # terminate() sends SIGTERM: leave through `finally` blocks (temporary folders go).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if niceness:
        try:
            os.nice(niceness)
        except OSError:  # not permitted here: run at the same priority
            pass
    try:
        target(sender, inbox, *args)
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        try:
            sender.send(("error", "", f"{type(error).__name__}: {error}"))
        except OSError:
            pass
    finally:
        sender.close()


class Background:
    """`work(*args)`, an iterator of (name, result) pairs, in a forked child.

    `wait(name)` returns a result as soon as the child has sent it. Where fork is not
    available the work is done at once, here. With `fed`, the child is forked now, while
    this process is small, and runs `work(items, *args)` once `feed(items)` is called
    (where fork is not available, `feed` does the work here).
    """

    def __init__(self, work: Callable[..., Iterator[tuple[str, object]]], *args: object,
                 niceness: int = BACKGROUND_NICENESS, fed: bool = False) -> None:
        self._results: dict[str, object] = {}
        self._child: Child | None = None
        self._failure: str | None = None
        self._work, self._args, self._fed = work, args, fed
        if not can_fork():
            if not fed:
                self._results.update(work(*args))
            return
        self._child = Child(_run_fed_work if fed else _run_work, work, args,
                            name=f"casebook-{work.__name__}", niceness=niceness, fed=fed)

    def feed(self, items: Iterable[object]) -> None:
        """What a `fed` work iterates over; sent to the child as it takes it."""
        if self._child is not None:
            self._child.feed(items)
        elif not can_fork() and self._fed:
            self._results.update(self._work(items, *self._args))

    def wait(self, name: str) -> object:
        """The result called `name`; WorkerError with the child's error if it failed."""
        while name not in self._results:
            if self._failure is not None:
                raise WorkerError(self._failure)
            if self._child is None or not self._child.running:
                raise WorkerError("the work was cancelled before it was done")
            try:
                outcome, key, value = self._child.receive()
            except WorkerError as error:
                self._failure = str(error)
                continue
            if outcome == "result":
                self._results[key] = value
            elif outcome == "done":
                self._child.close()
                if name not in self._results:
                    raise WorkerError(f"the work has no result '{name}'")
            else:
                self._child.close()
                self._failure = str(value)
        return self._results[name]

    def cancel(self) -> None:
        """Stop work still running (a rebuild started, or the build failed)."""
        if self._child is not None:
            self._child.terminate()


def _run_work(sender, inbox, work: Callable, args: tuple) -> None:
    for key, value in work(*args):
        sender.send(("result", key, value))
    sender.send(("done", "", None))


def _run_fed_work(sender, inbox, items: _Fed, work: Callable, args: tuple) -> None:
    _run_work(sender, inbox, work, (items, *args))
