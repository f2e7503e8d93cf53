"""Bulletins as they are published: the same bulletin as .txt, .md, .docx and .pdf gives the same passages."""

from __future__ import annotations

import json

import pytest

from assistant.formats import FormatError, docx_text, pdf_text, read_metadata, read_text
from assistant.ingest import IngestError, read_bulletin

# One bulletin, as structure: (kind, text). Each format below writes it the way that format would.
BULLETIN = [
    ("title", "Safeguarding Practice Bulletin - Issue 7"),
    ("para", "Welcome to issue 7 of the Safeguarding Practice Bulletin, published in March 2019 for everyone "
             "who works with children and families across the partnership."),
    ("h2", "Lessons from recent reviews"),
    ("para", "This issue draws on two local reviews completed during the autumn."),
    ("h2", "Case 4 - Neglect of a toddler"),
    ("para", "A two year old was found living in very poor home conditions over a long period."),
    ("h3", "Recommendations for practice:"),
    ("bullet", "Use a recognised neglect assessment tool to evidence cumulative harm over time."),
    ("bullet", "Make unannounced home visits when there are concerns about home conditions."),
    ("bullet", "Record the child's lived experience in their own words."),
    ("h2", "Case 5 - Online abuse"),
    ("h3", "Learning points:"),
    ("bullet", "Ask young people about their online friendships as part of every assessment."),
    ("bullet", "Seek advice from the police online safety team when images have been shared."),
    ("h2", "Key messages for managers"),
    ("number", "Supervision should test the evidence for closing a case."),
    ("number", "Check that actions agreed at the conference are completed before the core group is stood down."),
    ("h2", "Contacts"),
    ("para", "For children living in Northshire contact 0300 123 4567 or email frontdoor@northshire.example.gov.uk"),
    ("para", "Out of hours for all areas call 0300 765 4321"),
]


def as_text() -> str:
    """The plain layout of an exported bulletin: bare headings, bullets, numbers, blank lines."""
    lines, number = [], 0
    for kind, text in BULLETIN:
        number = number + 1 if kind == "number" else 0
        if kind == "bullet":
            lines.append(f"..{text}")
        elif kind == "number":
            lines.append(f"{number}. {text}")
        else:
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


def as_markdown() -> str:
    marks = {"title": "# ", "h2": "## ", "h3": "### ", "bullet": "* ", "para": ""}
    blocks, number = [], 0
    for kind, text in BULLETIN:
        number = number + 1 if kind == "number" else 0
        blocks.append(f"{number}. {text}" if kind == "number" else marks[kind] + text)
    return "\n\n".join(blocks) + "\n"


def write_docx(path):
    import docx

    document = docx.Document()
    for kind, text in BULLETIN:
        if kind == "title":
            document.add_heading(text, level=1)
        elif kind in ("h2", "h3"):
            document.add_heading(text.rstrip(":"), level=int(kind[1]))
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "number":
            document.add_paragraph(text, style="List Number")
        else:
            paragraph = document.add_paragraph()
            if text.startswith("For children"):
                paragraph.add_run("For children living in ")
                paragraph.add_run("Northshire").bold = True
                paragraph.add_run(text.removeprefix("For children living in Northshire"))
            else:
                paragraph.add_run(text)
    document.save(str(path))


def write_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in as_text().splitlines():
        if line.strip():
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(6)
    pdf.output(str(path))


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """The bulletin in each format, each in its own folder under the same file name."""
    root = tmp_path_factory.mktemp("formats")
    paths = {}
    for suffix in (".txt", ".md", ".docx", ".pdf"):
        folder = root / suffix[1:]
        folder.mkdir()
        path = folder / f"practice-bulletin-7{suffix}"
        if suffix == ".txt":
            path.write_text(as_text())
        elif suffix == ".md":
            path.write_text(as_markdown())
        elif suffix == ".docx":
            write_docx(path)
        else:
            write_pdf(path)
        paths[suffix] = path
    return paths


def shape(bulletin):
    return [(p.id, p.text, p.kind, p.section, p.case) for p in bulletin.passages]


@pytest.mark.parametrize("suffix", [".md", ".docx", ".pdf"])
def test_every_format_gives_the_same_passages(versions, suffix):
    reference = read_bulletin(versions[".txt"])
    other = read_bulletin(versions[suffix])
    assert shape(other) == shape(reference)
    assert (other.title, other.issue, other.date) == ("Safeguarding Practice Bulletin", "7", "March 2019")
    assert other.contacts[0].phone == "0300 123 4567" and other.contacts[1].area_id == "out-of-hours"


def test_the_reference_shape_is_right(versions):
    passages = read_bulletin(versions[".txt"]).passages
    recs = [p for p in passages if p.kind == "recommendation"]
    assert len(recs) == 5 and recs[0].case == "Case 4 — Neglect of a toddler"
    assert recs[3].section == "Learning points"
    assert [p.kind for p in passages if p.text.startswith(("1.", "2."))] == ["key message", "key message"]


def test_docx_keeps_bold_as_marks_and_headings_as_headings(versions):
    text = docx_text(versions[".docx"])
    assert "**Northshire**" in text
    assert "## Case 4 - Neglect of a toddler" in text and "- Use a recognised" in text and "2. Check" in text


def test_pdf_text_keeps_blank_lines_between_blocks(versions):
    text = pdf_text(versions[".pdf"])
    assert "\n\nLessons from recent reviews\n\n" in text


def test_metadata_file_supplies_what_the_text_lacks(tmp_path):
    bulletin = tmp_path / "summer-briefing.txt"
    bulletin.write_text("Key messages:\n\n- Listen to the child.\n")
    (tmp_path / "summer-briefing.meta.json").write_text(
        json.dumps({"title": "Summer Briefing", "issue": 4, "date": "June 2020"}))
    parsed = read_bulletin(bulletin)
    assert (parsed.title, parsed.issue, parsed.date) == ("Summer Briefing", "4", "June 2020")
    assert read_metadata(bulletin)["issue"] == "4"


@pytest.mark.parametrize("name, content", [("broken.docx", b"not a zip"), ("broken.pdf", b"%PDF-1.4 garbage"),
                                           ("empty.pdf", b"")])
def test_damaged_files_are_clear_errors(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FormatError, match=name):
        read_text(path)
    with pytest.raises(IngestError):
        read_bulletin(path)


def test_bad_metadata_is_a_clear_error(tmp_path):
    (tmp_path / "x.txt").write_text("Key messages:\n\n- Listen.\n")
    (tmp_path / "x.meta.json").write_text("[1, 2]")
    with pytest.raises(IngestError, match="x.meta.json"):
        read_bulletin(tmp_path / "x.txt")
