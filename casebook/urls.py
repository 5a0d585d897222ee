"""Where pages are published and how one page links to another: the only URL arithmetic.

Pages are named by their source path in the site (`walls/mienai.md`, `cases/a-parts.md`).
`page_url` lays them out as MkDocs does (`walls/mienai/` with directory URLs, else
`walls/mienai.html`); `href` is the relative URL from one page to another page or asset, so a
site works from any folder and under any sub-path.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, unquote

PAGE_SUFFIX = ".md"


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """Where a source page is published, relative to the site root (`walls/mienai/`)."""
    if not src_uri.endswith(PAGE_SUFFIX):
        return src_uri  # an asset keeps its path
    stem = src_uri[: -len(PAGE_SUFFIX)]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(target: str, from_uri: str, directory_urls: bool = True) -> str:
    """A relative URL from the page `from_uri` to the page or asset `target` (source paths)."""
    source, target_url = page_url(from_uri, directory_urls), page_url(target, directory_urls)
    # Both are site-relative and normalised (no "." or ".."): drop the folders they share.
    folders = source.split("/")[:-1]
    parts = target_url.split("/")
    shared = 0
    while (shared < len(folders) and shared < len(parts) - 1
           and folders[shared] == parts[shared]):
        shared += 1
    return quote("../" * (len(folders) - shared) + "/".join(parts[shared:]), safe="/#") or "./"


def resolve(written: str, from_uri: str) -> tuple[str, str] | None:
    """A relative link as written in `from_uri` → (target source path, anchor).

    None for a link that leaves the site (a scheme or `//host`) or climbs above its root.
    The target is "" for a link to an anchor of the same page.
    """
    if is_external(written):
        return None
    path, _, anchor = written.partition("#")
    path = unquote(path.split("?")[0])
    if not path:
        return "", anchor
    base = posixpath.dirname(from_uri)
    joined = posixpath.normpath(posixpath.join(base, path)) if not path.startswith("/") \
        else posixpath.normpath(path.lstrip("/"))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined, anchor


def is_external(written: str) -> bool:
    """Whether a link as written leaves the site (http:, mailto:, //host …)."""
    path = written.partition("#")[0]
    return "://" in path or path.startswith("//") or ":" in path.split("/")[0]


def dest_path(src_uri: str, directory_urls: bool = True) -> str:
    """The file a page is written to, relative to the site (`walls/mienai/index.html`)."""
    url = page_url(src_uri, directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url
