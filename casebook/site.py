"""Everything a site engine needs from a library: pages to add, guide bodies, public JSON.

This is the seam between the domain and MkDocs: the MkDocs plugin only routes events here, so
another site engine could call the same methods.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from casebook.library import Library
from casebook.model import Case
from casebook.pages import GeneratedPage, case_footer, generated_pages, guide_footer
from casebook.render import HtmlBlocks, case_link_html, case_markdown, render_body

# Text similarity of candidate cases to a case, by case id.
Similarity = Callable[[Case, list[Case]], Mapping[str, float]]


@dataclass
class SiteOptions:
    related_limit: int = 5
    related_weights: dict[str, float] = field(default_factory=dict)
    directory_urls: bool = True


class Site:
    """The pages and data of one build, made from one parsed library."""

    def __init__(
        self, library: Library, options: SiteOptions | None = None,
        similarity: Similarity | None = None,
    ) -> None:
        self.library = library
        self.options = options or SiteOptions()
        self.similarity = similarity
        library.directory_urls = self.options.directory_urls
        self._related = None

    def pages(self) -> list[GeneratedPage]:
        """Case pages and every generated facet page."""
        cases = []
        for case in self.library.cases:
            blocks = HtmlBlocks()
            footer = case_footer(self.library, case, self.related_markdown(case, blocks))
            markdown = case_markdown(case, self.library.vocabulary, blocks, footer,
                                     self.options.directory_urls)
            cases.append(GeneratedPage(case.src_uri, markdown, blocks.by_marker))
        return cases + generated_pages(self.library)

    def related_markdown(self, case: Case, blocks: HtmlBlocks) -> str:
        from casebook.related import DEFAULT_WEIGHTS, RelatedFinder

        if self._related is None:
            weights = {**DEFAULT_WEIGHTS, **self.options.related_weights}
            self._related = RelatedFinder(self.library.cases, weights, self.similarity)
        found = self._related.related(case, self.options.related_limit)
        if not found:
            return ""
        items = []
        for item in found:
            link = case_link_html(item.case, case.src_uri, self.options.directory_urls)
            items.append(f'<li>{link}<br>'
                         f'<span class="cb-related-reason">{html.escape(item.reason)}</span></li>')
        return ("## 関連する事例 {#related}"
                + blocks.add('<ul class="cb-related">\n' + "\n".join(items) + "\n</ul>"))

    def guide_page(self, src_uri: str) -> GeneratedPage | None:
        """A guide page's Markdown with annotations rendered and its cases appended."""
        guide = self.library.guide(src_uri)
        if guide is None:
            return None
        blocks = HtmlBlocks()
        body = render_body(guide.doc, self.library.vocabulary, src_uri, skip_title=False,
                           blocks=blocks, directory_urls=self.options.directory_urls)
        markdown = body + "\n" + guide_footer(self.library, guide, blocks)
        return GeneratedPage(src_uri, markdown, blocks.by_marker)

    def cases_json(self, url_of: Callable[[str], str]) -> str:
        """Public facts of every published case, for in-browser tools. Internal fields never."""
        records = []
        for case in self.library.cases:
            records.append({
                "id": case.id,
                "alias": case.alias,
                "title": case.title,
                "kind": case.kind,
                "url": url_of(case.src_uri),
                "summary": case.summary,
                "facets": {name: [t.slug for t in terms]
                           for name, terms in case.facets.items() if terms},
            })
        return json.dumps(records, ensure_ascii=False, indent=1)
