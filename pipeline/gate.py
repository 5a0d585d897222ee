"""The last look before anything is published: no private term in any file the build writes.

The anonymisation check (casebook/anonymize.py) has already read every text the pages are
made of, with the file and line it came from. This gate reads what was actually written —
each page as the site engine wrote it, with tags removed and character references decoded,
and the JSON, and the copy of each page Pagefind indexes (its bundle is respelt and
compressed, so the copy is read before it is handed over) — for the deny-list terms only,
which costs little. A term that got through some other way (a template, a value joined from
two others) stops the build here, before the new site replaces the old one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import unquote

from casebook.anonymize import find_private_terms
from casebook.problems import CheckError, Problem

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE_TEXT = re.compile(
    r"""\b(?:title|alt|aria-label|content|href|src|data-[\w-]+)\s*=\s*"([^"]*)""")


_ATTRIBUTE_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")


def attribute_values(markup: str) -> str:
    """Every attribute value of HTML or XML markup, decoded, a space between each: what a
    published SVG or a PDF's XMP metadata holds besides its element text."""
    return " ".join(html.unescape(a or b) for a, b in _ATTRIBUTE_VALUE.findall(markup))


def readable_text(page: str) -> str:
    """What a reader of an HTML page can see or hear: text, text-bearing attributes and
    link addresses (decoded, as a browser shows them)."""
    without_code = _SCRIPT_OR_STYLE.sub(" ", page)
    attributes = " ".join(unquote(html.unescape(value))
                          for value in _ATTRIBUTE_TEXT.findall(without_code))
    return html.unescape(_TAG.sub(" ", without_code)) + " " + attributes


class OutputGate:
    """Collects leaks of deny-list terms from written files; `raise_leaks()` fails the build."""

    def __init__(self, private_terms: Sequence[str]) -> None:
        self.private_terms = tuple(private_terms)
        self.leaks: list[Problem] = []

    def check(self, path: str, text: str) -> None:
        if not self.private_terms:
            return
        readable = readable_text(text) if path.endswith((".html", ".xml")) else text
        self._scan(path, readable)

    def check_search_copy(self, path: str, copy: str) -> None:
        """The copy of a page the in-browser search indexes (search/pagefind.py page_copy).
        Pagefind writes it respelt and compressed, where no scan of the bundle finds a term."""
        if self.private_terms:
            self._scan(f"{path} (Pagefind's copy)", readable_text(copy))

    def _scan(self, label: str, readable: str) -> None:
        for finding in find_private_terms(readable, self.private_terms):
            self.leaks.append(Problem(label, 0, "published file",
                                      f"private term '{finding.text}' in what was written",
                                      finding.text))

    def raise_leaks(self) -> None:
        if self.leaks:
            raise CheckError(self.leaks)
