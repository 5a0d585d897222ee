"""The practice drills as Moodle XML, for a trainer to import into the LMS they already use.

    files = moodle_files(library, questions, directory_urls, site_url)  # site path -> XML

One file per drill, one category per drill, one multiple-choice question per practice
question (its stable id as Moodle's idnumber, so a re-import updates rather than duplicates).
Several right answers share 100 % and each wrong one takes an equal share away, as Moodle's
multiple-answer questions are graded. The question text is HTML written with casebook.html;
ElementTree escapes it once more for XML. Links (case, guide) are absolute and only written
when the site's address is known (`site_url`): a link relative to the site means nothing in an
LMS.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from casebook.html import Markup, html, join
from casebook.library import Library
from casebook.practice import DRILLS, Drill, Question
from casebook.render import term_uri
from casebook.urls import page_url
from casebook.vocabulary import Term


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    ET.SubElement(element, "text").text = text
    return element


def _fraction(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


class _Links:
    def __init__(self, library: Library, directory_urls: bool, site_url: str | None) -> None:
        self.library = library
        self.directory_urls = directory_urls
        self.base = (site_url.rstrip("/") + "/") if site_url else None

    def url(self, src_uri: str) -> str | None:
        return urljoin(self.base, page_url(src_uri, self.directory_urls)) if self.base else None

    def link(self, src_uri: str, content: object) -> Markup:
        url = self.url(src_uri)
        return html('<a href="{}">{}</a>', url, content) if url else html("{}", content)

    def guide(self, term: Term) -> Markup:
        guides = self.library.guides_for(term)
        if guides:
            return self.link(guides[0].src_uri, guides[0].title)
        return self.link(term_uri(term, self.library.vocabulary), term.label)


def _question_html(question: Question, drill: Drill, links: _Links) -> str:
    parts = []
    for line in question.context:
        if line.speaker:
            parts.append(html("<p><strong>{}</strong>：{}</p>", line.speaker, line.text))
        else:
            parts.append(html("<p><em>{}</em></p>", line.text))
    text = question.text
    if question.mark is not None:
        start, end = question.mark
        body = html("{}<mark>{}</mark>{}", text[:start], text[start:end], text[end:])
    else:
        body = html("<mark>{}</mark>", text)
    if question.speaker:
        body = html("<strong>{}</strong>：{}", question.speaker, body)
    parts.append(html("<blockquote><p>{}</p></blockquote>", body))
    case = question.case
    parts.append(html("<p>事例: {}</p>", links.link(case.src_uri, f"{case.alias} {case.title}")))
    parts.append(html("<p>{}</p>", drill.ask))
    return str(join("\n", parts))


def moodle_xml(library: Library, drill: Drill, questions: list[Question], links: _Links) -> str:
    """One drill as a Moodle XML quiz file."""
    terms = library.vocabulary[drill.facet].terms
    by_slug = {t.slug: t for t in terms}
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    _text(category, "category", f"$course$/伴走支援ケースブック/{drill.title}")
    for question in questions:
        element = ET.SubElement(quiz, "question", {"type": "multichoice"})
        _text(element, "name", f"{drill.title} {question.case.alias} {question.id}")
        _text(element, "questiontext", _question_html(question, drill, links), format="html")
        right = [by_slug[s] for s in question.answers if s in by_slug]
        feedback = html("<p>正しい答え: {}</p><p>解説: {}</p>",
                        join("・", (t.label for t in right)),
                        join("・", (links.guide(t) for t in right)))
        _text(element, "generalfeedback", str(feedback), format="html")
        ET.SubElement(element, "defaultgrade").text = "1"
        ET.SubElement(element, "penalty").text = "0"
        ET.SubElement(element, "hidden").text = "0"
        ET.SubElement(element, "idnumber").text = question.id
        single = len(right) == 1 and not drill.multiple
        ET.SubElement(element, "single").text = "true" if single else "false"
        ET.SubElement(element, "shuffleanswers").text = "true"
        ET.SubElement(element, "answernumbering").text = "none"
        wrong = len(terms) - len(right)
        for term in terms:
            if term in right:
                fraction = 100 / len(right)
            else:
                fraction = 0 if single or not wrong else -100 / wrong
            answer = _text(element, "answer", term.label, fraction=_fraction(fraction),
                           format="html")
            _text(answer, "feedback", "正解" if term in right else "", format="html")
    ET.indent(quiz, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") \
        + "\n"


def moodle_files(library: Library, questions: dict[str, list[Question]],
                 directory_urls: bool = True, site_url: str | None = None) -> dict[str, str]:
    """Site path -> Moodle XML text, one file per drill."""
    links = _Links(library, directory_urls, site_url)
    return {drill.moodle_path: moodle_xml(library, drill, questions[drill.name], links)
            for drill in DRILLS}
