"""The text a reader of a published PDF gets, for the deny-list scan (pypdf).

A PDF's page text sits in compressed streams and its document information (作成者, タイトル)
in UTF-16, so scanning its bytes finds neither. pypdf reads both, as a PDF viewer shows them:
each page's text, the document information values and the bookmark titles. A PDF it cannot
read (broken, or encrypted with a password) cannot be checked, so it is not published.
"""

from __future__ import annotations

import io
from collections.abc import Iterator


class PdfUnreadable(Exception):
    """The PDF's text cannot be read; the message says why, for the author."""


def pdf_texts(data: bytes) -> list[tuple[str, str]]:
    """(where, text) for every text of the PDF a reader sees: ('page 2', …), ('Author', …),
    ('bookmark', …). PdfUnreadable if it cannot be read."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfUnreadable("it is encrypted with a password")
        texts = [(f"page {number}", page.extract_text() or "")
                 for number, page in enumerate(reader.pages, start=1)]
        texts += [(str(key).lstrip("/"), str(value))
                  for key, value in (reader.metadata or {}).items()]
        texts += [("bookmark", title) for title in _titles(reader.outline)]
    except PdfUnreadable:
        raise
    except Exception as error:  # pypdf raises many kinds of error on a broken file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PdfUnreadable(f"pypdf: {reason}"[:200]) from None
    return texts


def _titles(outline: list, depth: int = 0) -> Iterator[str]:
    for item in outline:
        if isinstance(item, list):
            if depth < 20:  # nested bookmarks; a loop in a hostile file ends here
                yield from _titles(item, depth + 1)
        elif getattr(item, "title", None):
            yield str(item.title)
