"""The /prep/ page (相談の準備): a form describing a new client, and the prep sheet the browser
makes from it with the pipeline's data (assets/casebook/prep-data.js, and the parts in
assets/casebook/prep/ a sheet loads: casebook/prep_data.py) and prep.js.

The form is written here from the vocabulary, so its labels and choices are the site's terms;
it is submitted by GET to the page itself, so the profile is in the address and a sheet can be
bookmarked or sent to a colleague.
"""

from __future__ import annotations

from casebook.html import Markup, html, join
from casebook.library import Library
from casebook.pages import Page, PageWriter
from casebook.vocabulary import Facet

PREP_URI = "prep/index.md"
PREP_DATA = "assets/casebook/prep-data.js"
PREP_SCRIPT = "assets/casebook/prep.js"
PREP_STYLE = "assets/casebook/prep.css"


def _select(name: str, facet: Facet, grouped: bool = False) -> Markup:
    options = [html('<option value="">（指定なし）</option>')]
    if grouped:
        groups: dict[str, list] = {}
        for term in facet.terms:
            groups.setdefault(term.group, []).append(term)
        for group, terms in groups.items():
            inner = join("", (html('<option value="{}">{}</option>', t.slug, t.label)
                              for t in terms))
            options.append(html('<optgroup label="{}">{}</optgroup>', group, inner))
    else:
        options += [html('<option value="{}">{}</option>', t.slug,
                         f"{t.code} {t.label}" if t.code else t.label)
                    for t in facet.terms]
    return html('<p class="cb-prep-field"><label for="cb-prep-{0}">{1}</label>'
                '<select id="cb-prep-{0}" name="{0}">{2}</select></p>',
                name, facet.label, join("", options))


def _checkboxes(name: str, legend: str, facet: Facet) -> Markup:
    boxes = join("", (html('<label class="cb-prep-check"><input type="checkbox" name="{}" '
                           'value="{}"> {}</label>', name, t.slug, t.label)
                      for t in facet.terms))
    return html('<fieldset class="cb-prep-field cb-prep-checks"><legend>{}</legend>{}'
                '</fieldset>', legend, boxes)


def prep_page(library: Library, directory_urls: bool = True) -> Page:
    """The page with the form; the sheet is made in the browser."""
    vocabulary = library.vocabulary
    writer = PageWriter(PREP_URI, directory_urls)
    writer.heading(1, "相談の準備")
    writer.add(html(
        '<p class="cb-prep-intro">明日のヒアリングの相手を、支援者の言葉で書いてください。'
        '似ている先行事例とその理由、背景にありそうな壁、聞き取りたいサインと効いた問いかけ、'
        '初回ヒアリングで把握することを、1〜2枚の準備シートにまとめます。'
        '入力はこのブラウザの中だけで使われ、どこにも送られません。</p>\n'))
    form = join("\n", [
        _select("industry", vocabulary["industry"]),
        _select("employees", vocabulary["employees"]),
        _select("prefecture", vocabulary["prefecture"], grouped=True),
        _checkboxes("theme", vocabulary["theme"].label, vocabulary["theme"]),
        html('<p class="cb-prep-field"><label for="cb-prep-text">相談内容'
             '<span class="cb-prep-hint">（経営者が最初に話したこと。例: 社員がITに弱いので'
             '研修講師を紹介してほしい）</span></label>'
             '<textarea id="cb-prep-text" name="text" rows="3"></textarea></p>'),
        html('<details class="cb-prep-field"><summary>すでに想定している壁（任意）</summary>{}'
             '</details>', _checkboxes("wall", "想定している壁", vocabulary["wall"])),
        html('<p class="cb-prep-actions"><button type="submit" class="md-button '
             'md-button--primary">準備シートを作る</button> '
             '<button type="button" class="md-button cb-prep-print" hidden>印刷する</button>'
             '</p>'),
    ])
    writer.add(html('<form class="cb-prep-form" id="cb-prep-form" method="get">'
                    '{}</form>\n', form))
    writer.add(html(
        '<noscript><p>準備シートを作るには JavaScript を有効にしてください。'
        'コマンドでは <code>casebook prep</code> で同じシートを作れます。</p></noscript>\n'
        '<div id="cb-prep-sheet" class="cb-prep-sheet" aria-live="polite" '
        'data-root="{}"></div>\n'
        '<link rel="stylesheet" href="{}">\n'
        '<script src="{}"></script>\n<script src="{}"></script>\n',
        writer.href(PREP_DATA)[:-len(PREP_DATA)],
        writer.href(PREP_STYLE), writer.href(PREP_DATA), writer.href(PREP_SCRIPT)))
    return writer.page("相談の準備", searchable=False,
                       meta={"description": "新しい相談の準備: 似ている先行事例・背景にありそうな"
                                            "壁・効いた問いかけ・初回ヒアリングのチェックリスト"})
