"""Bulletin files -> text the parser reads: .txt and .md as they are, .docx and .pdf converted.

Word documents keep their structure: heading styles become Markdown headings, list paragraphs
become bullets or numbered items, bold runs keep their ** marks. PDFs come out as text with the
layout defects of any PDF export (the parser copes with those), blank lines kept from the layout.
An optional metadata file beside a bulletin (NAME.meta.json) supplies a title, issue, date or
short title that the text lacks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SUFFIXES = (".txt", ".md", ".docx", ".pdf")
METADATA_SUFFIX = ".meta.json"
METADATA_FIELDS = ("title", "short_title", "issue", "date")


class FormatError(Exception):
    """A file that cannot be read as a bulletin."""


def is_bulletin_file(path: Path) -> bool:
    """True for a file in one of the supported bulletin formats."""
    return path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith(".")


def read_text(path: Path) -> str:
    """The text of a bulletin file, in the layout the parser reads."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return docx_text(path)
        if suffix == ".pdf":
            return pdf_text(path)
        if suffix in (".txt", ".md"):
            data = path.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise FormatError(f"{path.name}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
            if "\x00" in text:
                raise FormatError(f"{path.name}: not a text file (it holds NUL bytes)")
            return text
    except OSError as exc:
        raise FormatError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    raise FormatError(f"{path.name}: not a bulletin format (use {', '.join(SUFFIXES)})")


def docx_text(path: Path) -> str:
    """A Word document as Markdown-like text: headings, bullets, numbered items and bold kept."""
    import docx  # python-docx; only needed when a .docx bulletin is read
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise FormatError(f"{path.name}: not a readable Word document") from exc
    except Exception as exc:  # zipfile and lxml raise many kinds for a damaged file
        raise FormatError(f"{path.name}: not a readable Word document ({type(exc).__name__})") from exc
    lines: list[str] = []
    numbers: dict[str, int] = {}
    for paragraph in document.paragraphs:
        text = _runs_text(paragraph)
        if not text.strip():
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        heading = re.match(r"(?:Heading|Title)\s*(\d*)", style)
        if heading:
            level = int(heading.group(1) or 1)
            lines += [f"{'#' * min(level, 6)} {text.strip()}", ""]
        elif "List Number" in style or _numbered(paragraph):
            numbers[style] = numbers.get(style, 0) + 1
            lines.append(f"{numbers[style]}. {text.strip()}")
        elif "List" in style:
            lines.append(f"- {text.strip()}")
        else:
            numbers.clear()
            if lines and lines[-1]:
                lines.append("")
            lines += [text.strip(), ""]
    return "\n".join(lines) + "\n"


def _runs_text(paragraph) -> str:
    """A paragraph's text with bold runs marked **like this**."""
    parts = []
    for run in paragraph.runs:
        if run.bold and run.text.strip():
            parts.append(f"**{run.text}**")
        else:
            parts.append(run.text)
    return "".join(parts) or paragraph.text


def _numbered(paragraph) -> bool:
    """True for a paragraph in a numbered Word list (numbering set on the paragraph itself)."""
    props = paragraph._p.pPr
    return props is not None and props.numPr is not None and "Bullet" not in (paragraph.style.name or "")


def pdf_text(path: Path) -> str:
    """A PDF's text, page by page, with the layout's blank lines kept."""
    from pypdf import PdfReader  # only needed when a .pdf bulletin is read
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise FormatError(f"{path.name}: not a readable PDF") from exc
    except Exception as exc:  # a damaged PDF can fail deep inside the reader
        raise FormatError(f"{path.name}: not a readable PDF ({type(exc).__name__})") from exc
    text = "\n\n".join(_tidy_pdf_page(page) for page in pages)
    if not text.strip():
        raise FormatError(f"{path.name}: the PDF has no text (a scanned image?)")
    return text


def _tidy_pdf_page(page: str) -> str:
    """Strip layout indentation and squeeze runs of blank lines to one."""
    lines = [line.strip() for line in page.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def metadata_path(path: Path) -> Path:
    """Where a bulletin's optional metadata file sits."""
    return path.with_name(path.stem + METADATA_SUFFIX)


def read_metadata(path: Path) -> dict[str, str]:
    """The optional metadata beside a bulletin: title, short_title, issue, date (strings)."""
    meta = metadata_path(path)
    if not meta.is_file():
        return {}
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError(f"{meta.name}: not valid JSON metadata") from exc
    if not isinstance(data, dict):
        raise FormatError(f"{meta.name}: metadata must be a JSON object")
    return {k: str(data[k]).strip() for k in METADATA_FIELDS if data.get(k) not in (None, "")}
