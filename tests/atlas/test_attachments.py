"""Experience attachments judged by their bytes (atlas/attachments.py): every kind taken, each
refusal with its own message in es/pt/en, the limits on size and number, safe names."""

from __future__ import annotations

import pytest

from atlas.attachments import MB, AttachmentError, check, clean_filename
from atlas.i18n import LANGS
from tests.fixtures import documents as doc

LIMIT = 1 * MB


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("informe.pdf", doc.pdf(), "application/pdf"),
        ("foto.PNG", doc.image("PNG"), "image/png"),
        ("foto.jpeg", doc.image("JPEG"), "image/jpeg"),
        ("foto.jpg", doc.image("JPEG"), "image/jpeg"),
        ("plan.docx", doc.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("datos.xlsx", doc.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("acta.odt", doc.odt(), "application/vnd.oasis.opendocument.text"),
    ],
)  # fmt: skip
def test_att001_each_kind_taken_is_known_by_its_bytes(name, data, media_type):
    [a] = check([(name, data)], LIMIT)
    assert (a.filename, a.media_type, a.size, len(a.sha256)) == (name, media_type, len(data), 64)


@pytest.mark.parametrize(
    ("name", "data", "key", "said"),
    [
        ("vacio.pdf", b"", "empty", "“vacio.pdf” is empty"),
        ("grande.pdf", b"%PDF-" + b"x" * LIMIT, "too_large", "the limit is 1 MB a file"),
        ("programa.exe", b"MZ\x90\x00", "type", "not of a type taken"),
        ("virus.pdf", b"MZ\x90\x00", "content", "not a valid PDF file"),
        ("foto.pdf", doc.image("PNG"), "mismatch", "named as a PDF file but its content is PNG"),
        ("macro.docx", doc.docx(macros=True), "macros", "contains macros"),
        ("macro.odt", doc.odt(macros=True), "macros", "contains macros"),
        ("datos.docx", doc.plain_zip(), "content", "not a valid DOCX file"),
        ("roto.docx", b"PK\x03\x04" + b"\x00" * 40, "corrupt", "damaged"),
        ("pagina.html", b"<html><script>alert(1)</script>", "type", "not of a type taken"),
    ],
)
def test_att002_each_refusal_names_its_file_and_reason_in_every_language(name, data, key, said):
    with pytest.raises(AttachmentError) as exc:
        check([(name, data)], LIMIT)
    [refusal] = exc.value.refusals
    assert refusal.key == key and said in refusal.message("en")
    for lang in LANGS:
        assert name in refusal.message(lang)


def test_att003_every_bad_file_is_listed_at_once_and_none_accepted():
    files = [("ok.pdf", doc.pdf()), ("bad.png", doc.pdf()), ("empty.jpg", b"")]
    with pytest.raises(AttachmentError) as exc:
        check(files, LIMIT)
    assert [r.filename for r in exc.value.refusals] == ["bad.png", "empty.jpg"]


def test_att004_at_most_five_files_and_an_empty_field_is_no_file():
    assert check([(None, b""), ("", b"")], LIMIT) == []
    with pytest.raises(AttachmentError) as exc:
        check([(f"{k}.pdf", doc.pdf()) for k in range(6)], LIMIT)
    assert "6 files were chosen: an experience takes at most 5" in exc.value.messages("en")[0]


def test_att005_names_lose_their_folders_and_control_characters():
    assert clean_filename("C:\\Users\\x\\Informe final.pdf") == "Informe final.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("a\x00b\r\n.pdf") == "ab.pdf"
    assert clean_filename("x" * 300 + ".pdf").endswith("x.pdf")
    assert len(clean_filename("x" * 300 + ".pdf")) == 200
