"""Pipeline pages onto MkDocs' page objects: the title, meta and table of contents."""

from __future__ import annotations

from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import TableOfContents, get_toc

from casebook.html import escape
from casebook.pages import Page


def set_meta(page: MkDocsPage, ours: Page) -> None:
    """The pipeline page's title and meta on MkDocs' page."""
    page.meta.clear()
    page.meta.update({key: value for key, value in ours.meta.items() if key != "description"})
    # Escaped here, once: the theme prints titles and descriptions as they are.
    page.meta["title"] = escape(ours.title)
    if isinstance(ours.meta.get("description"), str):
        page.meta["description"] = escape(ours.meta["description"])


def _toc_tokens(headings) -> list[dict]:
    """Headings as MkDocs' table-of-contents tokens: nested by level, names escaped."""
    root: list[dict] = []
    stack: list[dict] = []
    for heading in headings:
        token = {"level": heading.level, "id": heading.id, "name": str(escape(heading.text)),
                 "children": []}
        while stack and stack[-1]["level"] >= heading.level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def toc(ours: Page) -> TableOfContents:
    """The page's headings as MkDocs' table of contents."""
    return get_toc(_toc_tokens(ours.headings))
