#!/usr/bin/env python3
"""Reads every proposal.docx of a built site with python-docx (an
independent reader of Office Open XML) and checks it against the HTML page
it was written from: one level-1 heading per draft, in the same order, each
naming the partner; every draft after the first starts on a new page; the
placeholders are highlighted.

Usage: python3 tests/docx/check.py [PUBLIC_DIR]   (default: public)
Needs python-docx (Debian: python3-docx).
"""

import html
import re
import sys
from pathlib import Path

import docx  # python-docx
from docx.enum.text import WD_COLOR_INDEX


def main() -> int:
    public = Path(sys.argv[1] if len(sys.argv) > 1 else "public")
    files = sorted(public.rglob("proposal.docx"))
    if not files:
        print(f"FAIL no proposal.docx under {public}")
        return 1
    failures = []
    headings_total = 0
    for f in files:
        page = (f.parent / "proposal" / "index.html").read_text(encoding="utf-8")
        titles = [
            html.unescape(re.sub(r"<[^>]+>", "", t))
            for t in re.findall(r'<h2 class="letter-title">(.*?)</h2>', page, re.S)
        ]
        d = docx.Document(str(f))
        heads = [p for p in d.paragraphs if p.style is not None and p.style.name.lower() == "heading 1"]
        got = [p.text for p in heads]
        headings_total += len(got)
        if got != titles:
            failures.append(f"{f}: headings {got!r} != the page's drafts {titles!r}")
        # Each draft after the first starts on a new page: its letterhead
        # paragraph has page_break_before.
        breaks = sum(1 for p in d.paragraphs if p.paragraph_format.page_break_before)
        if breaks != max(len(titles) - 1, 0):
            failures.append(f"{f}: {breaks} page breaks for {len(titles)} drafts")
        marked = [r.text for p in d.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
        if titles and not any(t.startswith("[") and t.endswith("]") for t in marked):
            failures.append(f"{f}: no highlighted [placeholder]")
        if len(d.tables) < len(titles):
            failures.append(f"{f}: {len(d.tables)} tables for {len(titles)} drafts")
    for msg in failures:
        print("FAIL " + msg)
    print(f"{len(files)} documents, {headings_total} drafts read by python-docx; {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
