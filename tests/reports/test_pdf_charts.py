"""The outcome report's PDF (WeasyPrint) keeps every month label of its line charts inside
the chart: the last one was cut when the chart left no room right of its last point
(``reports.charts.lines``). The HTML side is ``tests/e2e/test_staff_layout.py``."""

from __future__ import annotations

import re
import shutil
import subprocess  # noqa: S404

import pytest

from casework.views.pdf import weasyprint_ready

pytestmark = pytest.mark.django_db

pdf_ready, pdf_reason = weasyprint_ready()
PDFTOTEXT = shutil.which("pdftotext")

PAGE = re.compile(r'<page width="([\d.]+)"')
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]


@pytest.mark.skipif(not pdf_ready, reason=f"WeasyPrint cannot render Chinese here: {pdf_reason}")
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_charts_keep_their_last_month_label(client, users):
    client.force_login(users["supervisor"])
    response = client.get("/reports/outcomes.pdf", {"from": MONTHS[0] + "-01", "to": MONTHS[-1] + "-30"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # Each word's box in points, clipped or not: a label cut by its chart still has its box.
    layout = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-bbox", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    page_width = float(PAGE.search(layout).group(1))
    words = [(float(x0), float(x1), text) for x0, x1, text in WORD.findall(layout)]
    # The charts are as wide as the text (width 100%) and the page's margins are the same on
    # both sides: the first heading starts at the left edge, the right edge mirrors it.
    left = next(x0 for x0, _x1, text in words if text == "主要指标")
    right = page_width - left
    labels = [(x0, x1, text) for x0, x1, text in words if text in MONTHS]
    # Two line charts (受理与办结, 按时办结率), each with every month of the half year.
    assert sorted(text for _x0, _x1, text in labels) == sorted(MONTHS * 2), labels
    for x0, x1, text in labels:
        assert left - 0.5 <= x0 and x1 <= right + 0.5, (text, x0, x1, left, right)
