"""Checks over a built static site, for tests: links and anchors, HTML validation, leaked text.

    report = check_links(site_dir)          # like LinkChecker's [AnchorCheck], offline
    messages = run_vnu(site_dir)            # the Nu HTML Checker's JSON messages
    hits = find_bytes(site_dir, needles)    # every file, gzip (sitemap, Pagefind) unpacked
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VNU_ACCEPTED = Path(__file__).parent / "data" / "vnu-accepted.yml"
HOW_TO_INSTALL = ("`make test` installs them: Java (Debian's default-jre-headless, `make "
                  "system-deps`) and vnu.jar (npm's vnu-jar, `make node-deps`)")

# Elements whose URL attribute loads or links a resource of the site.
URL_ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "script": "src", "img": "src",
                  "iframe": "src", "source": "src"}


@dataclass(frozen=True)
class Link:
    """One URL in one page of the site."""

    page: str  # relative to the site, e.g. "cases/a-parts/index.html"
    line: int
    tag: str
    url: str

    def __str__(self) -> str:
        return f'{self.page}:{self.line}: <{self.tag} {URL_ATTRIBUTES[self.tag]}="{self.url}">'


@dataclass(frozen=True)
class BrokenLink:
    link: Link
    reason: str

    def __str__(self) -> str:
        return f"{self.link}: {self.reason}"


@dataclass
class LinkReport:
    """What `check_links` looked at and what it found broken."""

    pages: int = 0
    links: int = 0  # same-site links checked
    anchors: int = 0  # of which had a #fragment checked against the target page
    external: int = 0  # links to other sites (not followed)
    broken: list[BrokenLink] = field(default_factory=list)


class _PageParser(HTMLParser):
    """The anchors a page offers (ids, <a name>) and the URLs it uses."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.anchors: set[str] = set()
        self.links: list[Link] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        attribute = URL_ATTRIBUTES.get(tag)
        if attribute and attribute in values:
            self.links.append(Link(self.page, self.getpos()[0], tag, values[attribute]))


def _parse(path: Path, page: str) -> _PageParser:
    parser = _PageParser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def check_links(site_dir: Path, site_url: str | None = None) -> LinkReport:
    """Every same-site link resolves to a file and every #fragment to an id in that page.

    Relative and root-relative URLs are same-site, as are absolute ones on `site_url`'s host.
    A directory URL means its index.html; fragments are percent-decoded (Japanese headings).
    """
    site_dir = Path(site_dir)
    host = urlsplit(site_url).netloc if site_url else None
    root = urlsplit(site_url).path if site_url else "/"
    pages = {p.relative_to(site_dir).as_posix(): _parse(p, p.relative_to(site_dir).as_posix())
             for p in sorted(site_dir.rglob("*.html"))}
    report = LinkReport(pages=len(pages))
    for parser in pages.values():
        for link in parser.links:
            _check(link, site_dir, pages, report, host, root)
    return report


def _check(link: Link, site_dir: Path, pages: dict[str, _PageParser], report: LinkReport,
           host: str | None, root: str) -> None:
    url = urlsplit(link.url.strip())
    if url.scheme or url.netloc:
        if url.scheme not in ("http", "https", "") or host is None or url.netloc != host:
            report.external += 1  # mailto:, data:, another site
            return
    report.links += 1

    def broken(reason: str) -> None:
        report.broken.append(BrokenLink(link, reason))

    path = unquote(url.path)
    if url.netloc or path.startswith("/"):
        if not path.startswith(root):
            return broken(f"outside the site's root {root}")
        path = path[len(root):]
        target = posixpath.normpath(path) if path else "."
    elif path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(link.page), path))
    else:
        target = link.page  # "#fragment" or "?query" on the page itself
    if target == ".." or target.startswith("../"):
        return broken("leads out of the site")
    file = site_dir / target
    if target == "." or path.endswith("/") or file.is_dir():
        file = file / "index.html"
    if not file.is_file():
        return broken(f"no file {file.relative_to(site_dir).as_posix()}")
    if not url.fragment:
        return
    target_page = file.relative_to(site_dir).as_posix()
    if target_page not in pages:
        return  # a fragment of a stylesheet, image or script is not an HTML anchor
    report.anchors += 1
    fragment = unquote(url.fragment)
    if fragment not in pages[target_page].anchors:
        broken(f"no id or name {fragment!r} in {target_page}")


# --- the Nu HTML Checker (vnu) ----------------------------------------------------------------


class VnuMissing(RuntimeError):
    """Java or vnu.jar is not installed."""


@dataclass(frozen=True)
class VnuMessage:
    """One message of the Nu HTML Checker about one file."""

    file: str
    line: int
    type: str  # "error", "warning" (vnu's info/warning), "info", "non-document-error"
    message: str
    extract: str

    def __str__(self) -> str:
        extract = re.sub(r"\s+", " ", self.extract).strip()
        return f"{self.file}:{self.line}: {self.type}: {self.message}\n    {extract}"


def run_vnu(*paths: Path, relative_to: Path | None = None) -> list[VnuMessage]:
    """Validate every HTML file under `paths` in one run of vnu.jar; its messages."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        missing = "java" if java is None else str(VNU_JAR.relative_to(REPO))
        raise VnuMissing(f"the HTML validator needs {missing}, which is missing; {HOW_TO_INSTALL}")
    run = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html",
         *(str(p) for p in paths)],
        capture_output=True, text=True, timeout=900, check=False,
    )
    # vnu writes its report to stderr and exits 1 when it has found errors.
    try:
        report = json.loads(run.stderr)
    except json.JSONDecodeError:
        raise RuntimeError(f"vnu gave no JSON report (exit {run.returncode}):\n"
                           f"{run.stderr[-2000:]}{run.stdout[-2000:]}") from None
    return [_vnu_message(m, relative_to) for m in report.get("messages", [])]


def _vnu_message(message: dict, relative_to: Path | None) -> VnuMessage:
    url = message.get("url", "")
    file = unquote(urlsplit(url).path) if url.startswith("file:") else url
    if relative_to is not None and file.startswith(f"{relative_to}/"):
        file = file[len(str(relative_to)) + 1:]
    kind = message.get("type", "")
    if kind == "info" and message.get("subType") == "warning":
        kind = "warning"
    return VnuMessage(file, message.get("lastLine", 0), kind, message.get("message", ""),
                      message.get("extract", ""))


@dataclass(frozen=True)
class AcceptedError:
    """A vnu message we accept: its message and the markup it quotes, and why."""

    message: re.Pattern
    extract: re.Pattern
    why: str

    def matches(self, message: VnuMessage) -> bool:
        return bool(self.message.search(message.message) and self.extract.search(message.extract))


def load_accepted(path: Path = VNU_ACCEPTED) -> list[AcceptedError]:
    """The accepted errors listed in tests/data/vnu-accepted.yml."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [AcceptedError(re.compile(e["message"]), re.compile(e["extract"]), e["why"].strip())
            for e in entries]


def unaccepted(messages: Iterable[VnuMessage],
               accepted: list[AcceptedError]) -> list[VnuMessage]:
    """Errors and warnings no accepted entry covers (plain info messages are not problems)."""
    return [m for m in messages
            if m.type != "info" and not any(a.matches(m) for a in accepted)]


# --- text that must not be in a build ---------------------------------------------------------


def file_bytes(directory: Path) -> Iterator[tuple[Path, bytes]]:
    """Every file under `directory` with its bytes, gzip-compressed ones unpacked.

    That covers sitemap.xml.gz and all of Pagefind's bundle (fragments, word index, filters,
    metadata: gzip around "pagefind_dcd" + JSON or CBOR, whose strings are plain UTF-8).
    """
    for path in sorted(Path(directory).rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path, data


def find_bytes(directories: Iterable[Path], needles: Iterable[str]) -> list[tuple[Path, str]]:
    """(file, needle) for every needle found in every file under the directories."""
    encoded = [(n, n.encode("utf-8")) for n in needles]
    return [(path, needle)
            for directory in directories
            for path, data in file_bytes(directory)
            for needle, raw in encoded if raw in data]


def whoosh_contents(directory: Path) -> list[tuple[str, str]]:
    """(where, text) for every term of every field and every document's stored fields.

    Byte search is not enough for a Whoosh index: its terms are plain UTF-8 in the segment
    file, but stored fields are zlib-compressed pickles (whoosh.codec.whoosh3.STORED_COLUMN).
    """
    from whoosh.filedb.filestore import FileStorage

    index = FileStorage(str(directory), readonly=True).open_index()
    contents: list[tuple[str, str]] = []
    with index.reader() as reader:
        for name in sorted(reader.indexed_field_names()):
            contents += [(f"term of {name}", term.decode("utf-8", "replace"))
                         for term in reader.lexicon(name)]
        for docnum, stored in reader.iter_docs():
            contents.append((f"stored fields of document {docnum}",
                             json.dumps(stored, ensure_ascii=False, default=str)))
    return contents
