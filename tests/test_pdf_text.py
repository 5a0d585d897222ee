"""A PDF's texts a viewer shows besides its pages are scanned for the deny-list too: comments
(sticky notes, text boxes), attachments (their names and text), XMP metadata, page labels
and form field values — each named where it was found."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText, Text
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from pipeline.load import _check_pdf
from pipeline.pdf_text import pdf_texts
from tests.test_hostile_authors import check, pdf_with_text

TERM = "秘密山商店"


def _pdf(edit) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("見積書 御中"))))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _xmp(writer: PdfWriter, xml: str = f"<dc:creator>{TERM}</dc:creator>") -> None:
    stream = DecodedStreamObject()
    stream.set_data(('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>'
                     f'{xml}</rdf:RDF></x:xmpmeta>').encode())
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream.flate_encode())


def _form_field(writer: PdfWriter) -> None:
    field = DictionaryObject({NameObject("/FT"): NameObject("/Tx"),
                              NameObject("/T"): TextStringObject("相談先"),
                              NameObject("/V"): TextStringObject(TERM)})
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(field)])})


EDITS = [  # (test id, where the finding says the term is, how the PDF is changed)
    ("sticky note", "comment 1", lambda w: w.add_annotation(
        0, Text(text=f"{TERM}の社長に確認", rect=(50, 550, 200, 650)))),
    ("text box", "comment 1",
     lambda w: w.add_annotation(0, FreeText(text=TERM, rect=(50, 550, 200, 650)))),
    ("attachment name", "attachment", lambda w: w.add_attachment(f"{TERM}.txt", b"memo")),
    ("attachment text", "attachment memo.txt", lambda w: w.add_attachment(
        "memo.txt", f"{TERM}の件".encode("utf-16"))),
    ("attached pdf", "attachment inner.pdf",
     lambda w: w.add_attachment("inner.pdf", pdf_with_text(f"{TERM} 御中"))),
    ("xmp", "XMP metadata", _xmp),
    # XMP's short form keeps a value in an attribute (rdf:Description pdf:Keywords="…").
    ("xmp attribute", "XMP metadata", lambda w: _xmp(
        w, f"<rdf:Description xmlns:pdf='http://ns.adobe.com/pdf/1.3/' pdf:Keywords='{TERM}'/>")),
    ("form field", "form field 相談先", _form_field),
    ("page label", "page label", lambda w: w.set_page_label(0, 0, prefix=TERM)),
]


@pytest.mark.parametrize("where,edit", [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_a_private_term_in_what_a_viewer_shows_besides_the_pages_is_found(where, edit) -> None:
    data = _pdf(edit)
    assert TERM.encode() not in data  # only a PDF reader finds it
    found = _check_pdf(data, "content/files/a.pdf", (TERM,))
    assert [p.message for p in found] == [
        f"private term 非公開語 '{TERM}' in the PDF ({where})"], found


def test_a_clean_pdf_with_comments_and_attachments_has_no_finding() -> None:
    def clean(writer: PdfWriter) -> None:
        writer.add_annotation(0, Text(text="確認済み", rect=(50, 550, 200, 650)))
        writer.add_attachment("memo.txt", "相談の記録".encode())

    data = _pdf(clean)
    assert _check_pdf(data, "content/files/a.pdf", (TERM,)) == []
    texts = dict(pdf_texts(data))
    assert texts["comment 1"] == "確認済み" and texts["attachment memo.txt"] == "相談の記録"


def test_a_build_with_a_commented_pdf_fails_and_publishes_nothing(project, capsys) -> None:
    project.write("content/private-terms.txt", f"{TERM}\n")
    project.case()
    pdf = project.root / "content" / "files" / "mitsumori.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(_pdf(EDITS[0][2]))
    code, report = check(project, capsys)
    assert code == 1
    assert (f"content/files/mitsumori.pdf: file: private term 非公開語 '{TERM}' in the PDF "
            "(comment 1)") in report, report
    project.build_fails()
    assert not (project.root / "site").exists()
