"""A Word (.docx) file's body text: its paragraphs and table cells in document order.

python-docx reads the document XML of the zip package as Word's own paragraph and table
objects, so page headers and footers (kept apart from the body in the package) and field
codes never reach the text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from .errors import InputError
from .extracted import ExtractedText, library_label
from .limits import ReadBudget

PARAGRAPH_SEPARATOR = "\n\n"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an encrypted .docx, or a .doc
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# What a package whose main part is not a Word document is, by words in its content type.
OTHER_PACKAGES = (
    ("macroEnabled.main", "a macro-enabled Word document (.docm)"),
    ("template", "a Word template (.dotx or .dotm)"),
)


def _texts(document: object) -> Iterator[str]:
    from docx.table import Table

    for item in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Table):
            # A merged cell is returned once per grid column it spans. The set holds the XML
            # elements themselves: lxml hands out the same object for an element while it is held.
            seen: set[object] = set()
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    yield from (paragraph.text for paragraph in cell.paragraphs)
        else:
            yield item.text


def _blocks(document: object, budget: ReadBudget) -> list[str]:
    blocks = []
    for text in _texts(document):
        if text.strip():
            blocks.append(text.strip())
            budget.add(text, f"paragraph {len(blocks):,}")
    return blocks


def _unpacked_size(data: bytes) -> int:
    """What the zip's parts unpack to, as its directory declares: `zipfile` never inflates a part
    beyond its declared size (it stops there, and a wrong CRC is then an error)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return sum(info.file_size for info in package.infolist())


def _not_word(content_type: str) -> str:
    kind = next((name for word, name in OTHER_PACKAGES if word in content_type), "another kind of Office file")
    return f"not a .docx document but {kind} (content type {content_type}); save it as a Word Document (.docx)"


def read_docx(data: bytes, source: str, budget: ReadBudget) -> ExtractedText:
    """The paragraphs of a .docx body, each a paragraph of the text; its unpacked size is checked
    before any part is inflated."""
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.exceptions import PackageNotFoundError
    from docx.package import Package
    from lxml.etree import XMLSyntaxError

    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise InputError("encrypted", source, "encrypted Word file (it needs a password to open)")
        raise InputError("corrupt", source, "not a .docx file (an older Word .doc or another compound file)")
    try:
        budget.check_unpacked(_unpacked_size(data))
        # What docx.Document does, with the file's own name in the message when it is no Word document.
        part = Package.open(io.BytesIO(data)).main_document_part
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as error:
        # a zip that is cut off, lacks word/document.xml, or holds broken XML
        raise InputError("corrupt", source, f"corrupt .docx ({type(error).__name__}: {error})") from error
    if part.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise InputError("corrupt", source, _not_word(part.content_type))
    blocks = _blocks(part.document, budget)
    if not blocks:
        raise InputError("empty", source, "no text in the document")
    return ExtractedText(
        text=PARAGRAPH_SEPARATOR.join(blocks), encoding="docx xml", library=library_label("python-docx")
    )


__all__ = ["read_docx"]
