"""Shared pieces of the queue's Word documents (chase notice, key-supervision list, meeting
agenda): an A4 document with the dispatch sheets' fonts, headings, and a bordered table
written as XML text and parsed once (python-docx's cell API costs ~1 ms per cell). The font
and XML helpers are the dispatch sheets' own (services/sheets/docx_writer.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hotline_tui.services.sheets.docx_writer import (
    BODY_FONT,
    TITLE_FONT,
    W_NS,
    _add_field,
    _fonts,
    _para_xml,
    _twips,
)

A4_SHORT, A4_LONG = 210, 297
MARGIN_MM = 18


def new_document(*, landscape: bool = False):  # noqa: ANN201 - a docx Document
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(A4_LONG), Mm(A4_SHORT)
    else:
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Mm(A4_SHORT), Mm(A4_LONG)
    sec.top_margin, sec.bottom_margin = Mm(MARGIN_MM), Mm(MARGIN_MM)
    sec.left_margin, sec.right_margin = Mm(MARGIN_MM), Mm(MARGIN_MM)
    sec.header_distance, sec.footer_distance = Mm(9), Mm(8)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT)
    normal.font.size = Pt(10.5)  # 五号
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    return doc


def text_width_mm(doc) -> float:  # noqa: ANN001
    sec = doc.sections[0]
    return (sec.page_width - sec.left_margin - sec.right_margin) / 36000


def title(doc, text: str, size: float = 18) -> None:  # noqa: ANN001
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(8)
    run = p.add_run(text)
    _fonts(run, TITLE_FONT)
    run.font.size = Pt(size)
    run.bold = True


def paragraph(doc, text: str, *, bold: bool = False, size: float | None = None,  # noqa: ANN001
              after: float = 4, right: bool = False, indent_chars: int = 0) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(after)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent_chars:
        p.paragraph_format.first_line_indent = Pt((size or 10.5) * indent_chars)
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def table(doc, heads: Sequence[str], widths_mm: Sequence[float],  # noqa: ANN001
          rows: Sequence[Sequence[str]], *, size_pt: float = 9) -> None:
    """A bordered table with a head row repeated on every page; a cell's lines are split at
    '\\n'. Widths are scaled to the text width of the page."""
    from docx.oxml import parse_xml

    scale = text_width_mm(doc) / sum(widths_mm)
    widths = [w * scale for w in widths_mm]
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr>'
        f'<w:tblW w:w="{_twips(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr><w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{_twips(mm)}"/>' for mm in widths)
        + "</w:tblGrid>"
    ]

    def row(cells: Sequence[str], head: bool) -> str:
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if head else "")
        tcs = []
        for text, mm in zip(cells, widths, strict=True):
            pr = f'<w:tcW w:w="{_twips(mm)}" w:type="dxa"/>'
            if head:
                pr += '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
            pr += '<w:vAlign w:val="center"/>'
            lines = (text or "").split("\n")
            body = "".join(_para_xml(line, bold=head, size_pt=size_pt, keep_next=False)
                           for line in lines)
            tcs.append(f"<w:tc><w:tcPr>{pr}</w:tcPr>{body}</w:tc>")
        return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(tcs)}</w:tr>"

    parts.append(row(heads, True))
    parts.extend(row(r, False) for r in rows)
    parts.append("</w:tbl>")
    gap = doc.add_paragraph()
    gap._p.addprevious(parse_xml("".join(parts)))


def page_footer(doc, prefix: str, template: str) -> None:  # noqa: ANN001
    """'<prefix>  第 {page} 页 共 {pages} 页' with live page fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, rest = template.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    footer.add_run(f"{prefix}  {before}" if prefix else before)
    _add_field(footer, "PAGE")
    footer.add_run(middle)
    _add_field(footer, "NUMPAGES")
    footer.add_run(after)
    for r in footer.runs:
        r.font.size = Pt(9)


def save(doc, path: Path, doc_title: str) -> None:  # noqa: ANN001
    doc.core_properties.title = doc_title
    doc.core_properties.author = "hotline-tui"
    doc.save(str(path))
