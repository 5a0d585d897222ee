"""What a hostile or careless author tried, as a reader or a terminal would see it.

Each test plants one thing into a throwaway project and runs what a user runs: `casebook
check` (its exit code and messages) or a real build (the pages, the search index). What is
checked must be exactly what is published: every text a page carries is scanned, every value
is escaped, every fault is reported with its file and line, and nothing half-built is published.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import Project
from tests.test_build import text_of


def check(project: Project, capsys) -> tuple[int, str]:
    """`casebook check --root …`: exit code and everything it printed."""
    code = main(["check", "--root", str(project.root)])
    out, err = capsys.readouterr()
    return code, out + err


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def add_to_change(path: Path, text: str) -> None:
    """Append text to the case's 生まれた事業上の変化 section (the conftest case's last line)."""
    body = path.read_text("utf-8")
    assert "目標年商を達成した。" in body
    path.write_text(body.replace("目標年商を達成した。", f"目標年商を達成した。\n\n{text}"),
                    "utf-8")


# --- privacy: what passed `casebook check` and was published ---------------------------------


def test_private_term_phone_and_name_in_a_plain_text_fence_fail_the_check(project, capsys):
    project.write("content/private-terms.txt", "秘密山商店\n")
    path = project.case()
    add_to_change(path, "```text\n秘密山商店の担当 田中一郎様 090-1234-5678\n```")
    code, report = check(project, capsys)
    line = line_of(path, "秘密山商店の担当")
    assert code == 1
    assert f"cases/a-parts.md:{line}: anonymization: private term 非公開語 '秘密山商店'" in report
    assert "'田中一郎様'" in report and "'090-1234-5678'" in report
    assert "in a code block" in report


@pytest.mark.parametrize("written", ["秘密**山**商店", "秘密山&#21830;店", "秘密_山_商店",
                                     "[秘密山](#x)商店", "秘密山\n商店"])
def test_private_term_broken_by_markup_or_a_character_reference_fails(project, capsys,
                                                                      written):
    project.write("content/private-terms.txt", "秘密山商店\n")
    path = project.case()
    add_to_change(path, f"取引先は{written}です。")
    code, report = check(project, capsys)
    assert code == 1 and "private term 非公開語 '秘密" in report, report


def test_yaml_alias_cannot_copy_an_internal_value_into_a_published_field(project, capsys):
    path = project.case()
    text = path.read_text("utf-8").replace(
        "status: published", "status: published\ninternal_notes: &leak 担当は田中一郎様\n"
                             "industry_detail: *leak")
    path.write_text(text, "utf-8")
    code, report = check(project, capsys)
    line = line_of(path, "internal_notes: &leak")
    assert code == 1
    assert (f"cases/a-parts.md:{line}: front matter: YAML anchor &leak is not allowed: "
            "write each value out in full") in report
    project.build_fails()
    assert not (project.root / "site").exists()


def test_private_term_or_phone_in_a_vocabulary_description_fails(project, capsys):
    project.write("content/private-terms.txt", "秘密山商店\n")
    taxonomy = project.root / "content" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text("utf-8").replace(
        "相手の話をしっかりと聞くこと。",
        "相手の話をしっかりと聞くこと。秘密山商店 03-1234-5678。"), "utf-8")
    project.case()
    code, report = check(project, capsys)
    line = line_of(taxonomy, "秘密山商店 03-1234-5678") - 1  # its 'description: >-' line
    assert code == 1
    assert f"content/taxonomy.yml:{line}: skill.keicho.description: private term" in report
    assert f"content/taxonomy.yml:{line}: skill.keicho.description: possible phone" in report


def test_files_that_are_not_pages_or_assets_are_never_published(project, caplog):
    project.write("content/private-terms.txt", "秘密山商店\n")
    project.write("content/private-terms.txt.bak", "秘密山商店\n")
    project.write("content/notes.txt", "秘密のメモ\n")
    project.write("content/img/chart.png", "not really a png")
    project.case()
    site = project.build()
    assert not (site / "private-terms.txt.bak").exists()
    assert not (site / "notes.txt").exists()
    assert not (site / "private-terms.txt").exists()
    assert (site / "img" / "chart.png").exists()
    assert "content/notes.txt: not published" in caplog.text
    assert "content/private-terms.txt.bak: not published" in caplog.text


@pytest.mark.parametrize(("written", "kind"), [
    ("電話は090\u200b-1234-5678です。", "phone"),
    ("電話は〇九〇-一二三四-五六七八です。", "phone"),
    ("電話は090/1234/5678です。", "phone"),
    ("やまだたろうさまが来た。", "personal name"),
    ("担当の佐藤花子が来た。", "personal name"),
    ("取引先の**株式**会社山田に納品した。", "company name"),
])
def test_evasions_are_caught(project, capsys, written, kind):
    path = project.case()
    add_to_change(path, written)
    code, report = check(project, capsys)
    assert code == 1 and f"possible {kind}" in report, report


# --- injection --------------------------------------------------------------------------------


def test_markup_in_an_alias_is_shown_as_text(project):
    project.case(alias="Z社<script>alert(1)</script>")
    project.build()
    page = project.page("cases/a-parts")
    assert "<script>alert(1)" not in page
    assert "Z社&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in project.page("cases")


def test_escaped_markup_in_a_heading_cannot_close_the_title(project):
    project.case()
    project.write("content/guide.md", "# 解説 &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
                                      "\n\n本文。\n")
    project.build()
    page = project.page("guide")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "</title><script>" not in page
    assert "&lt;/title&gt;&lt;script&gt;" in title
    assert not re.search(r"<script>alert", page)


def test_vocabulary_labels_are_escaped_in_term_pages_tables_and_the_matrix(project):
    taxonomy = project.root / "content" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text("utf-8").replace(
        "label: 見えない\n", 'label: "見えない<img src=x onerror=alert(1)>"\n').replace(
        "synonyms: [見えない壁", "synonyms: [見えない, 見えない壁"), "utf-8")
    project.case()
    project.build()
    for url in ("walls/mienai", "walls", "matrix", "cases/a-parts", "cases"):
        page = project.page(url)
        assert "<img src=x" not in page, url
        assert "見えない&lt;img src=x onerror=alert(1)&gt;" in page, url


# --- inputs that crashed or were silently wrong ----------------------------------------------


def test_a_byte_order_mark_is_read_as_nothing(project, capsys):
    path = project.case()
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    project.write("content/guide.md", "\ufeff---\nexplains: {wall: 見えない}\n---\n# 解説\n")
    code, _ = check(project, capsys)
    assert code == 0
    project.build()
    page = project.page("guide")
    assert "explains" not in text_of(page)
    assert "「見えない」の事例（1件）" in text_of(page)


def test_a_file_that_is_not_utf8_is_named(project, capsys):
    path = project.case()
    path.write_bytes(path.read_text("utf-8").encode("shift_jis"))
    code, report = check(project, capsys)
    assert code == 1
    assert re.search(r"cases/a-parts\.md:\d+: encoding: the file is not UTF-8 \(byte 0x\w\w "
                     r"at column \d+\): save it as UTF-8", report), report


def test_a_line_longer_than_sudachi_accepts_is_checked(project, capsys):
    path = project.case()
    add_to_change(path, "あ" * 60000 + "田中社長")
    code, report = check(project, capsys)
    assert code == 1 and "'田中社長'" in report


@pytest.mark.parametrize(("value", "message"), [
    ('"zz-nl\\n"', "id must be lowercase ASCII letters, digits and '-'"),
    ("index", "'index' is the name of a page the site makes"),
    ("b-other", "id 'b-other' differs from the file name 'a-parts'"),
])
def test_bad_ids_are_reported(project, capsys, value, message):
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("id: a-parts", f"id: {value}"), "utf-8")
    code, report = check(project, capsys)
    assert code == 1 and f"cases/a-parts.md:2: id: {message}" in report, report


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title: 属人的経営から組織的経営へ", "title: [a, b]",
     "title: expected one line of text, got a list"),
    ("alias: A社", "alias: {a: 1}", "alias: expected one line of text, got a mapping"),
    ("walls: [見えない, 付いてこない]", "walls: 見えない",
     "walls: expected a list such as [見えない]"),
    ("alias: A社", "alias: A社\nalias: B社", "alias: duplicate key 'alias' (first on line 4)"),
    ("title: 属人的経営から組織的経営へ", "title: 別のタイトル",
     "title: the title differs from the H1 on line 16"),
])
def test_wrong_types_duplicate_keys_and_a_title_unlike_the_heading(project, capsys, old, new,
                                                                   expected):
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    code, report = check(project, capsys)
    assert code == 1 and expected in report, report


def test_a_yaml_alias_bomb_is_refused_at_once(project, capsys):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
        for a, b in zip("abcdefg", "bcdefgh", strict=True))
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("---\nid:", f"---\n{bomb}id:", 1), "utf-8")
    started = time.monotonic()
    code, report = check(project, capsys)
    assert time.monotonic() - started < 10
    assert code == 1 and "cases/a-parts.md:2: front matter: YAML anchor &a is not allowed" in report
    assert len(report) < 2000


@pytest.mark.parametrize("written", ["[閉じていない注釈]{wall=見えない",
                                     "[閉じていない注釈 {wall=見えない}",
                                     "[[入れ子]{wall=見えない}の注釈]{skill=傾聴}"])
def test_unclosed_or_nested_annotations_are_reported(project, capsys, written):
    path = project.case()
    add_to_change(path, written)
    code, report = check(project, capsys)
    assert code == 1 and "annotation:" in report, report


def test_annotations_across_a_line_break_with_quoted_values_and_inside_code(project):
    path = project.case()
    add_to_change(path, '[二行にわたる\n注釈]{approach="傾聴型 ギャップアプローチ"}と、'
                        "`[コード]{wall=見えない}`。")
    project.build()
    page = project.page("cases/a-parts")
    # The soft line break between two Japanese characters is no break for a reader.
    assert re.search(r'<mark class="cb-annot cb-annot--approach">二行にわたる注釈</mark>'
                     r'<a class="cb-badge cb-badge--approach cb-badge--in-text" href="[^"]+">'
                     r"傾聴型ギャップアプローチ</a>", page)
    assert "<code>[コード]{wall=見えない}</code>" in page
    assert "{approach=" not in page


def test_a_misspelt_guide_key_is_reported(project, capsys):
    project.case()
    project.write("content/guide.md", "---\nexplain: {wall: 見えない}\n---\n# 解説\n")
    code, report = check(project, capsys)
    assert code == 1
    assert "content/guide.md:2: explain: unknown field — did you mean 'explains'?" in report


def test_control_characters_in_values_are_reported_and_never_printed_raw(project, capsys):
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("alias: A社", 'alias: "A社\\e[31m"'), "utf-8")
    add_to_change(path, "ベルが鳴る\x07。")
    code, report = check(project, capsys)
    assert code == 1
    assert "cases/a-parts.md:4: alias: control character U+001B (ESC)" in report
    assert "control character U+0007 (BEL)" in report
    assert "\x1b" not in report and "\x07" not in report


def test_search_prints_a_control_character_escaped(project, capsys):
    project.case()
    project.build()
    code = main(["search", "--root", str(project.root), "\x1b[31m資金繰り"])
    out, _ = capsys.readouterr()
    assert code == 0 and "\x1b" not in out and "\\x1b[31m資金繰り" in out


@pytest.mark.parametrize("name", ["sub/b-shop.md", "b-shop.markdown", "b-shop.MD"])
def test_case_files_in_subfolders_or_with_other_endings_are_read(project, name):
    project.case("a-parts")
    text = (project.root / "cases" / "a-parts.md").read_text("utf-8")
    project.write(f"cases/{name}", text.replace("id: a-parts", "id: b-shop")
                  .replace("alias: A社", "alias: B社"))
    project.build()
    assert "B社" in project.page("cases/b-shop")


# --- faults -----------------------------------------------------------------------------------


def test_a_build_that_fails_after_the_check_leaves_the_old_site_as_it_was(project, monkeypatch):
    project.case()
    site = project.build()
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    marker = (site / "cases" / "a-parts" / "index.html").read_bytes()
    monkeypatch.setattr("pipeline.build.Build.cases_json",
                        lambda self: (_ for _ in ()).throw(OSError(28, "No space left")))
    with pytest.raises(OSError):
        project.build()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert (site / "cases" / "a-parts" / "index.html").read_bytes() == marker
    assert not list(project.root.glob(".site.new-*"))


@pytest.mark.parametrize(("key", "value"), [
    ("status", 'x"><img src=x onerror=alert(1)>'),
    ("icon", "<svg onload=alert(1)>"),
    ("template", "../../etc/passwd"),
    ("hide", "[everything]"),
])
def test_theme_keys_of_a_guide_take_only_plain_names(project, capsys, key, value):
    project.case()
    project.write("content/guide.md", f"---\n{key}: '{value}'\n---\n# 解説\n")
    code, report = check(project, capsys)
    assert code == 1 and f"content/guide.md:2: {key}: " in report, report


def test_private_term_in_a_link_address_or_a_file_name_fails(project, capsys):
    project.write("content/private-terms.txt", "秘密山商店\n")
    project.write("content/files/秘密山商店の見積.pdf", "%PDF-1.4")
    path = project.case()
    add_to_change(path, "[資料](https://example.org/秘密山商店.pdf)を参照した。")
    code, report = check(project, capsys)
    assert code == 1
    assert "content/files/秘密山商店の見積.pdf: file name: private term" in report or \
        "content/files/秘密山商店の見積.pdf: anonymization: private term" in report, report
    assert f"cases/a-parts.md:{line_of(path, '[資料]')}: anonymization: private term" in report


def pdf_with_text(text: str, author: str | None = None) -> bytes:
    """A one-page PDF showing `text` as a viewer does (a CID font with a ToUnicode map, the
    page's content compressed), so the text is nowhere in its bytes."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    cids = {char: number for number, char in enumerate(sorted(set(text)), start=1)}
    to_unicode = DecodedStreamObject()
    to_unicode.set_data((
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> "
        f"endcodespacerange\n{len(cids)} beginbfchar\n"
        + "".join(f"<{cid:04X}> <{ord(char):04X}>\n" for char, cid in cids.items())
        + "endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode("ascii"))
    name = {NameObject("/Type"): NameObject("/Font"), NameObject("/BaseFont"): NameObject("/T")}
    cid_font = DictionaryObject({**name, NameObject("/Subtype"): NameObject("/CIDFontType2"),
                                 NameObject("/DW"): NumberObject(1000),
                                 NameObject("/CIDSystemInfo"): DictionaryObject({
                                     NameObject("/Registry"): TextStringObject("Adobe"),
                                     NameObject("/Ordering"): TextStringObject("Identity"),
                                     NameObject("/Supplement"): NumberObject(0)})})
    font = DictionaryObject({**name, NameObject("/Subtype"): NameObject("/Type0"),
                             NameObject("/Encoding"): NameObject("/Identity-H"),
                             NameObject("/DescendantFonts"):
                                 ArrayObject([writer._add_object(cid_font)]),
                             NameObject("/ToUnicode"): writer._add_object(to_unicode)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    content = DecodedStreamObject()
    codes = "".join(f"{cids[char]:04X}" for char in text)
    content.set_data(f"BT /F1 12 Tf 72 720 Td <{codes}> Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(content)
    page.compress_content_streams()
    if author:
        writer.add_metadata({"/Author": author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_private_term_in_a_pdf_s_compressed_text_or_its_author_fails(project, capsys):
    project.write("content/private-terms.txt", "秘密山商店\nヤマダ\n")
    project.case()
    pdf = project.root / "content" / "files" / "mitsumori.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(pdf_with_text("見積書 秘密山商店 御中", author="ﾔﾏﾀﾞ"))
    assert "秘密".encode() not in pdf.read_bytes()  # only the PDF's reader finds it
    code, report = check(project, capsys)
    assert code == 1
    assert ("content/files/mitsumori.pdf: file: private term 非公開語 '秘密山商店' in the PDF "
            "(page 1)") in report, report
    assert "content/files/mitsumori.pdf: file: private term 非公開語 'ﾔﾏﾀﾞ' in the PDF (Author)" \
        in report, report
    project.build_fails()
    assert not (project.root / "site").exists()


def test_a_clean_pdf_is_published_and_an_unreadable_one_is_not(project, capsys):
    project.write("content/private-terms.txt", "秘密山商店\n")
    project.case()
    files = project.root / "content" / "files"
    files.mkdir(parents=True)
    (files / "sheet.pdf").write_bytes(pdf_with_text("ヒアリングシート 相談の記録"))
    code, report = check(project, capsys)
    assert code == 0, report
    site = project.build()
    assert (site / "files" / "sheet.pdf").read_bytes() == (files / "sheet.pdf").read_bytes()
    (files / "broken.pdf").write_bytes(b"%PDF-1.4\n\x00\x01 not a PDF body")
    code, report = check(project, capsys)
    assert code == 1
    assert "content/files/broken.pdf: file: cannot read the PDF's text to look for private " \
        "terms (pypdf: " in report, report
    assert "publish a PDF that opens without a password" in report


def test_check_finds_a_link_to_a_draft_as_the_build_does(project, capsys, caplog):
    project.case()
    project.case("z-draft", alias="Z社", status="draft")
    project.write("content/method/guide.md", "# 解説\n\n[下書き](../cases/z-draft.md)を見る。\n")
    code, report = check(project, capsys)
    assert code == 1
    message = "content/method/guide.md:3: link: '../cases/z-draft.md' is a draft"
    assert message in report
    project.build_fails()
    assert message in caplog.text


def test_a_link_to_a_missing_page_or_heading_names_the_closest(project, capsys):
    project.case()
    project.write("content/method/guide.md", "# 解説\n\n[事例](../cases/a-part.md)と"
                                             "[課題](../cases/a-parts.md#設定された課)。\n")
    code, report = check(project, capsys)
    assert code == 1
    assert ("content/method/guide.md:3: link: no page '../cases/a-part.md' — did you mean "
            "'../cases/a-parts.md'?") in report
    assert ("content/method/guide.md:3: link: no heading '#設定された課' in 'cases/a-parts.md' — "
            "did you mean '設定された課題'?") in report


def test_a_draft_guide_is_left_out_of_the_build(project):
    project.case()
    project.write("content/method/wip.md", "---\nstatus: draft\n---\n# 書きかけの解説\n\n本文。\n")
    site = project.build()
    assert not (site / "method" / "wip").exists()


def test_a_deny_list_in_another_encoding_is_named_not_a_traceback(project, capsys):
    project.write("content/private-terms.txt", "")
    (project.root / "content" / "private-terms.txt").write_bytes("青嵐堂\n".encode("shift_jis"))
    project.case()
    code, report = check(project, capsys)
    assert code == 1 and "content/private-terms.txt:1: encoding: the file is not UTF-8" in report


def test_an_inline_comment_in_the_deny_list_is_not_part_of_the_term(project, capsys):
    project.write("content/private-terms.txt", "田中商店 # 取引先の屋号\n")
    path = project.case()
    add_to_change(path, "田中商店との取引が増えた。")
    code, report = check(project, capsys)
    assert code == 1 and "private term 非公開語 '田中商店'" in report


def test_a_missing_deny_list_is_said(project, capsys):
    (project.root / "content" / "private-terms.txt").unlink()
    project.case()
    code, report = check(project, capsys)
    assert code == 0 and "content/private-terms.txt: no such file" in report


def test_symbolic_links_and_pipes_are_refused_with_their_names(project, capsys, tmp_path):
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.md").write_text("# 外\n\n田中社長 090-1234-5678\n", "utf-8")
    (project.root / "content" / "shared").symlink_to(outside)
    project.case()
    os.mkfifo(project.root / "cases" / "fifo.md")
    code, report = check(project, capsys)
    assert code == 1
    assert "content/shared: file: a symbolic link to a folder" in report
    assert "cases/fifo.md: file: not a plain file" in report


def test_deeply_nested_yaml_is_refused_plainly(project, capsys):
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(
        "status: published", "status: published\ninternal_notes: " + "[" * 999 + "]" * 999),
        "utf-8")
    code, report = check(project, capsys)
    assert code == 1 and "values nested more than 20 levels deep" in report
    assert "Traceback" not in report


def test_a_type_error_in_one_field_is_the_only_message(project, capsys):
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("alias: A社", "alias: 2023-04-05"), "utf-8")
    code, report = check(project, capsys)
    assert code == 1 and report.startswith("1 problem found:")
    assert "alias: expected one line of text" in report


@pytest.mark.parametrize(("written", "kind"), [
    ("電話はTEL03-1234-5678まで。", "phone"), ("電話は03・1234・5678まで。", "phone"),
    ("電話は03-1234-\n5678まで。", "phone"), ("[電話](tel:03%2D1234%2D5678)", "URL"),
    ("サイトは tanaka-seisakusho.tokyo です。", "URL"), ("あおぞら商店.jpで買える。", "URL"),
    ("面談は2023年4月5〜6日。", "exact date"), ("面談は20230405。", "exact date"),
    ("担当の田中 太郎が来た。", "personal name"), ("営業の田中が来た。", "personal name"),
    ("Mr. Tanaka came.", "personal name"), ("Tanaka Seisakusho Co., Ltd. に納品。", "company"),
    ("担当は田中\n社長です。", "personal name"),
])
def test_more_evasions_are_caught(project, capsys, written, kind):
    path = project.case()
    add_to_change(path, written)
    code, report = check(project, capsys)
    assert code == 1 and f"possible {kind}" in report, report


@pytest.mark.parametrize("character", ["\u034f", "\U000e0100", "\ufe0f", "\u180b", "\U000e0041",
                                       "\u3164", "\u200b"])
def test_invisible_characters_inside_a_private_term_are_ignored(project, capsys, character):
    project.write("content/private-terms.txt", "青嵐堂\n")
    path = project.case()
    add_to_change(path, f"取引先は青{character}嵐堂です。")
    code, report = check(project, capsys)
    assert code == 1 and "private term 非公開語" in report


def test_a_right_to_left_override_is_refused(project, capsys):
    path = project.case()
    add_to_change(path, "連絡先は\u202e8765-4321-30\u202cです。")
    code, report = check(project, capsys)
    assert code == 1 and "right-to-left override" in report


def test_an_anon_marker_lets_through_only_what_it_marks(project, capsys):
    path = project.case()
    add_to_change(path, '[関東経済産業局]{anon="公的機関名（公開資料に記載）"}と関東経済産業局。')
    code, report = check(project, capsys)
    assert code == 1 and report.count("'関東経済産業局'") == 1


def test_an_exception_never_lets_a_phone_number_through(project, capsys):
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(
        "status: published", "status: published\nanonymization:\n  allow:\n"
                             "    - text: 090-1234-5678\n      reason: x"), "utf-8")
    add_to_change(path, "連絡先は090-1234-5678。")
    code, report = check(project, capsys)
    assert code == 1 and "possible phone number" in report


def test_a_page_cannot_spell_index_words_to_smuggle_a_term():
    from search.pagefind import bigram_words, spell

    words = bigram_words("青嵐堂")
    spelt = spell(f"取引先は {' '.join(words)}").split()
    assert not set(words) & set(spelt)  # the index holds no word of 青嵐堂
