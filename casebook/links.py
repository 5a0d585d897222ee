"""Links between the pages of a site: every link an author wrote must lead somewhere."""

from __future__ import annotations

import posixpath

from casebook.library import Library
from casebook.model import Document
from casebook.pages import Page
from casebook.problems import Problem, closest


def check_links(library: Library, pages: list[Page], assets: set[str]) -> list[Problem]:
    """Every link written in a published case or guide leads to a published page (and its
    heading) or a file of the docs folder. Drafts are not published: a link to one is a
    problem even where drafts are shown (`mkdocs serve`), since the build would break it."""
    drafts = {case.src_uri for case in library.cases if case.is_draft}
    drafts |= {case.src_uri for case in library.drafts}
    drafts |= {guide.src_uri for guide in library.guides if guide.is_draft}
    by_uri = {page.src_uri: page for page in pages if page.src_uri not in drafts}
    problems = []
    documents: list[Document] = [g.doc for g in library.guides if not g.is_draft]
    documents += [c.doc for c in library.cases if not c.is_draft]
    documents += [c.doc for c in library.curricula if not c.is_draft]
    for doc in documents:
        for link in doc.links:
            target = link.target or doc.uri
            if target.endswith(".md"):
                page = by_uri.get(target)
                if page is None:
                    if target in drafts:
                        reason = f"'{link.written}' is a draft, which is not published"
                    else:
                        reason = f"no page '{link.written}'"
                    hint = closest(target, list(by_uri))
                    problems.append(Problem(doc.path, link.line, "link", reason, link.written,
                                            _relative(hint, doc.uri) if hint else None))
                elif link.anchor and link.anchor not in page.anchors:
                    problems.append(Problem(doc.path, link.line, "link",
                                            f"no heading '#{link.anchor}' in '{target}'",
                                            link.written,
                                            closest(link.anchor, sorted(page.anchors))))
            elif target not in assets:
                problems.append(Problem(doc.path, link.line, "link",
                                        f"no file '{link.written}' in the docs folder",
                                        link.written))
    return problems


def _relative(target: str, from_uri: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(from_uri) or ".")


def check_addresses(library: Library, pages: list[Page]) -> list[Problem]:
    """A guide at the address of a page the site makes (content/matrix.md, content/walls/
    mienai.md, content/cases/<a case's id>.md, content/handouts/<a curriculum>.md) would be
    dropped without a word, or replace that page: either way the author's page is lost."""
    made: dict[str, list[Page]] = {}
    for page in pages:
        made.setdefault(page.src_uri, []).append(page)
    problems = []
    for guide in library.guides:
        same = made.get(guide.src_uri, [])
        if len(same) > 1:
            other = next((p for p in same if p.title != guide.title), same[0])
            problems.append(Problem(guide.doc.path, 1, "file",
                                    f"the site makes its own page '{other.title}' at this "
                                    f"address ({guide.src_uri}): rename the file or move it "
                                    "to another folder", guide.src_uri))
    return problems
