"""Writing the index from parsed cases, swapping it into place, and opening it again."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import struct
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from whoosh.codec import whoosh3
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import EmptyIndexError, Index

from casebook.model import Case
from casebook.vocabulary import Vocabulary
from search import leftovers
from search.errors import IndexMissing
from search.schema import SCHEMA_VERSION, case_document, case_schema
from search.searcher import SearchIndex

# Written last into every index we build: what it holds, and proof that a folder is ours
# before we replace it.
MANIFEST = "casebook-index.json"
HOW_TO_BUILD = "build it with `casebook index` (run in the project folder, or pass --root)"



def _remember_missing_columns() -> None:
    """Make Whoosh remember that a field has no length column, as it remembers one it has.

    When a segment is written, every posting asks its field's length; for fields without
    lengths (ids, keywords) Whoosh looked for the column file again each time, one stat()
    per posting: a sixth of a 1,000-case index build. A segment's column files do not change
    once it is written, so remembering the answer changes nothing else.
    """
    reader_class = whoosh3.W3PerDocReader
    if getattr(reader_class, "_casebook_patched", False):
        return
    found = reader_class._cached_reader

    def cached_reader(self, fieldname, column):
        missing = self.__dict__.setdefault("_casebook_missing", set())
        if fieldname in missing:
            return None
        reader = found(self, fieldname, column)
        if reader is None:
            missing.add(fieldname)
        return reader

    reader_class._cached_reader = cached_reader
    reader_class._casebook_patched = True


_remember_missing_columns()


@dataclass(frozen=True)
class IndexStats:
    """What a build wrote."""

    directory: Path
    documents: int
    seconds: float
    size_bytes: int
    # Written but not yet in place (`build_index(stage=True)`): `put_in_place` moves it.
    staged: Path | None = None


def build_index(
    cases: Iterable[Case],
    directory: Path,
    *,
    drafts: bool = False,
    procs: int = 1,
    limitmb: int = 256,
    documents: Mapping[str, dict] | None = None,
    stage: bool = False,
    owner: int | None = None,
) -> IndexStats:
    """Index the cases into `directory`, replacing any index there in one rename.

    With `stage`, the new index is left next to `directory` for `put_in_place` (a site build
    puts it in place only when the whole site succeeded); `owner` names the process whose
    build it is, so another build does not take it for a dead one's leftover.

    The new index is written to a temporary folder next to `directory` and renamed into
    place, so a reader opens either the old index or the new one, never half of one.
    Drafts are left out unless `drafts` is true. `procs` > 1 uses Whoosh's multiprocess
    writer (see bench/search.py for whether it pays off). `limitmb` is how much Whoosh holds
    in memory before it sorts postings through files on disk: 256 MB keeps a 1,000-case
    build in memory (bench corpus: 12.5 s and 500 MB peak, against 19.9 s and 426 MB with
    Whoosh's default 128 MB; 1,024 MB measured the same as 256 there, and at 10,000 cases
    let the process grow to gigabytes).
    """
    return index_entries(index_entries_of(cases, drafts=drafts, documents=documents),
                         directory, procs=procs, limitmb=limitmb, stage=stage, owner=owner)


IndexEntry = tuple[dict, dict[str, dict[str, str]]]


def index_entries_of(cases: Iterable[Case], *, drafts: bool = False,
                     documents: Mapping[str, dict] | None = None) -> Iterator[IndexEntry]:
    """What the index is written from, a case at a time: its Whoosh document (from
    `documents`, made when the case was read, or made now) and its terms' labels by facet."""
    for case in cases:
        if case.is_draft and not drafts:
            continue
        prepared = documents.get(case.id) if documents is not None else None
        labels = {facet: {term.slug: term.label for term in terms}
                  for facet, terms in case.facets.items() if terms}
        yield prepared or case_document(case), labels


def index_entries(entries: Iterable[IndexEntry], directory: Path, *, procs: int = 1,
                  limitmb: int = 256, stage: bool = False,
                  owner: int | None = None) -> IndexStats:
    """`build_index` from entries made beforehand (`index_entries_of`): a build's second
    process gets them one at a time through a pipe, and needs no Case."""
    started = time.perf_counter()
    directory = Path(directory)
    check_replaceable(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    leftovers.remove_stale(directory.parent, f".{directory.name}.new-")
    leftovers.remove_stale(directory.parent, f".{directory.name}.old-")
    building = leftovers.make(directory.parent, f".{directory.name}.new-", owner)
    building.chmod(0o755)  # mkdtemp makes it private; the index is as readable as the project
    try:
        index = FileStorage(str(building)).create_index(case_schema())
        count, labels = _write(index, entries, procs=procs, limitmb=limitmb)
        manifest = {"schema_version": SCHEMA_VERSION, "documents": count, "labels": labels}
        (building / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
        if not stage:
            _swap(building, directory)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    written = building if stage else directory
    size = sum(f.stat().st_size for f in written.iterdir() if f.is_file())
    return IndexStats(directory, count, time.perf_counter() - started, size,
                      building if stage else None)


def put_in_place(stats: IndexStats) -> None:
    """Move a staged index (`build_index(stage=True)`) into its directory."""
    if stats.staged is not None:
        check_replaceable(stats.directory)
        _swap(stats.staged, stats.directory)


def throw_away(stats: IndexStats) -> None:
    """Remove a staged index that will not be used (its build failed)."""
    if stats.staged is not None:
        shutil.rmtree(stats.staged, ignore_errors=True)


def open_index(directory: Path, vocabulary: Vocabulary | None = None) -> SearchIndex:
    """Open the index a build wrote; IndexMissing (saying how to build one) if there is none.

    With a vocabulary, filters accept labels, codes and synonyms; without, slugs and labels.
    """
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise IndexMissing(f"no search index in {directory} — {HOW_TO_BUILD}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("the manifest is not a JSON object")
    except (OSError, ValueError) as error:
        raise damaged(directory, error) from None
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexMissing(
            f"the search index in {directory} was built by another version of casebook — "
            f"re{HOW_TO_BUILD}"
        )
    try:
        index = FileStorage(str(directory), readonly=True).open_index()
        opened = SearchIndex(index, vocabulary, manifest.get("labels"))
        opened.probe()
    except EmptyIndexError:
        raise IndexMissing(f"the search index in {directory} is incomplete — "
                           f"re{HOW_TO_BUILD}") from None
    except DAMAGE as error:
        raise damaged(directory, error) from None
    return opened


# What reading a damaged index raises: Whoosh reads its files with struct, pickle and zlib,
# and trusts what it reads (a truncated segment is a seek past the end, an EOFError …).
DAMAGE = (EOFError, OSError, ValueError, KeyError, IndexError, TypeError, AttributeError,
          struct.error, zlib.error, pickle.UnpicklingError, UnicodeDecodeError)


def damaged(directory: Path, error: BaseException) -> IndexMissing:
    """The one-line message for an index that cannot be read."""
    return IndexMissing(f"the search index in {directory} is damaged "
                        f"({type(error).__name__}) — re{HOW_TO_BUILD}")


def memory_index(
    cases: Iterable[Case], vocabulary: Vocabulary | None = None, *, drafts: bool = False
) -> SearchIndex:
    """An index held in memory (Whoosh RamStorage), for tests and one-off tools."""
    index = RamStorage().create_index(case_schema())
    _, labels = _write(index, index_entries_of(cases, drafts=drafts))
    return SearchIndex(index, vocabulary, labels)


def _write(
    index: Index, entries: Iterable[IndexEntry], *, procs: int = 1, limitmb: int = 256,
) -> tuple[int, dict[str, dict[str, str]]]:
    labels: dict[str, dict[str, str]] = {}
    count = 0
    options = {"procs": procs, "multisegment": True} if procs > 1 else {}
    writer = index.writer(limitmb=limitmb, **options)
    try:
        for document, facets in entries:
            writer.add_document(**document)
            count += 1
            for facet, terms in facets.items():
                labels.setdefault(facet, {}).update(terms)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return count, labels


def check_replaceable(directory: Path) -> None:
    """IndexMissing unless `directory` is absent, empty or an index we built.

    Refuse to replace a folder we did not build: `--index .` must not delete a project.
    """
    if directory.exists() and (
        not directory.is_dir()
        or (any(directory.iterdir()) and not (directory / MANIFEST).is_file())
    ):
        raise IndexMissing(
            f"{directory} exists and is not a casebook search index; "
            "choose another --index folder or remove it yourself"
        )


def _swap(new: Path, directory: Path) -> None:
    if not directory.exists():
        os.replace(new, directory)
        return
    old = leftovers.make(directory.parent, f".{directory.name}.old-")
    # Two renames: the old index stays whole until the new one is complete and moved in.
    os.replace(directory, old / directory.name)
    os.replace(new, directory)
    shutil.rmtree(old, ignore_errors=True)

