"""A Word (.docx) file's body text: its paragraphs and table cells in document order.

python-docx reads the document XML of the zip package as Word's own paragraph and table
objects, so page headers and footers (kept apart from the body in the package) and field
codes never reach the text.
"""

from __future__ import annotations

import io
import zipfile

from .errors import InputError
from .extracted import ExtractedText, library_label

PARAGRAPH_SEPARATOR = "\n\n"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an encrypted .docx, or a .doc
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _blocks(document: object) -> list[str]:
    from docx.table import Table

    blocks: list[str] = []
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
                    blocks.extend(paragraph.text for paragraph in cell.paragraphs)
        else:
            blocks.append(item.text)
    return [block.strip() for block in blocks if block.strip()]


def read_docx(data: bytes, source: str) -> ExtractedText:
    """The paragraphs of a .docx body, each a paragraph of the text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise InputError("encrypted", source, "encrypted Word file (it needs a password to open)")
        raise InputError("corrupt", source, "not a .docx file (an older Word .doc or another compound file)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as error:
        # a zip that is cut off, lacks word/document.xml, or holds broken XML
        raise InputError("corrupt", source, f"corrupt .docx ({type(error).__name__}: {error})") from error
    blocks = _blocks(document)
    if not blocks:
        raise InputError("empty", source, "no text in the document")
    return ExtractedText(
        text=PARAGRAPH_SEPARATOR.join(blocks), encoding="docx xml", library=library_label("python-docx")
    )


__all__ = ["read_docx"]
