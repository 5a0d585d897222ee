"""The text a reader of a published PDF gets, for the deny-list scan (pypdf).

A PDF's page text sits in compressed streams and its document information (作成者, タイトル)
in UTF-16, so scanning its bytes finds neither. pypdf reads both, as a PDF viewer shows them:
each page's text, the document information values and the bookmark titles, and what a viewer
shows beside the pages: comments (sticky notes, text boxes, their authors), form field
values, page labels, the XMP metadata (often compressed) and attachments (their names, and
their text: an attached PDF's as a PDF's, anything else as UTF-8 or UTF-16 text). A PDF it
cannot read (broken, or encrypted with a password) cannot be checked, so it is not published.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator

from pipeline.gate import attribute_values

# Texts of a comment a viewer shows: its text, author, subject and rich-text copy.
_COMMENT_KEYS = ("/Contents", "/T", "/Subj", "/RC")
_TAG = re.compile(r"<[^>]*>")
# An attached PDF inside an attached PDF … is read this deep; deeper, it is unreadable.
_MAX_DEPTH = 3


class PdfUnreadable(Exception):
    """The PDF's text cannot be read; the message says why, for the author."""


def pdf_texts(data: bytes, depth: int = 0) -> list[tuple[str, str]]:
    """(where, text) for every text of the PDF a reader sees: ('page 2', …), ('Author', …),
    ('bookmark', …), ('comment 2', …), ('attachment memo.txt', …). PdfUnreadable if it
    cannot be read."""
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
        texts += list(_beside_pages(reader, depth))
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


def _beside_pages(reader, depth: int) -> Iterator[tuple[str, str]]:
    """What a viewer shows beside the pages' text."""
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            for key in _COMMENT_KEYS:
                if annotation.get(key):
                    yield f"comment {number}", str(annotation[key])
    for name, field in (reader.get_fields() or {}).items():
        yield "form field", str(name)
        for key in ("/V", "/TU"):
            if field.get(key):
                yield f"form field {name}", str(field[key])
    yield from (("page label", label) for label in reader.page_labels)
    metadata = reader.root_object.get("/Metadata")
    if metadata is not None:
        xml = metadata.get_object().get_data().decode("utf-8", "replace")
        # XMP keeps a value as element text or, in its short form, as an attribute.
        yield "XMP metadata", html.unescape(_TAG.sub(" ", xml)) + " " + attribute_values(xml)
    for name, contents in reader.attachments.items():
        yield "attachment", name
        for content in contents:
            yield from ((f"attachment {name}", text) for text in _attached(content, depth))


def _attached(content: bytes, depth: int) -> Iterator[str]:
    if content.lstrip()[:5] == b"%PDF-":
        if depth >= _MAX_DEPTH:
            raise PdfUnreadable("PDFs attached inside attached PDFs, too deep to read")
        yield from (f"{where}: {text}" for where, text in pdf_texts(content, depth + 1))
    elif content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        yield content.decode("utf-16", "replace")
    else:
        yield content.decode("utf-8", "replace")
