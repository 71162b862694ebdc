"""Charts as inline SVG, rendered on the server: no JavaScript, no CDN, prints in the PDF.

Every label is escaped; numbers are formatted here. Each function returns safe markup with
a ``<title>`` and ``role="img"`` so screen readers announce the chart.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#3f51b5", "#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#00838f", "#8d6e63", "#546e7a"]
FONT = 'font-family="sans-serif" font-size="11"'


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width * 3 // 2}px;height:auto" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every label is escaped above/below


def _fmt(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:,.0f}".replace(",", ",")


def hbars(items: list[tuple[str, float]], title: str, *, percent: bool = False, color: str = PALETTE[0]) -> SafeString:
    """Horizontal bars, one per label (by-category, backlog ageing)."""
    row, label_w, bar_w = 22, 170, 360
    height = max(1, len(items)) * row + 10
    top = max([v for _l, v in items if v is not None] or [0]) or 1
    body = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        w = 0 if not value else max(1.0, bar_w * value / top)
        body.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" {FONT}>{escape(str(label)[:16])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{color}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" {FONT}>{_fmt(value or 0, percent)}</text>'
        )
    return _svg(label_w + bar_w + 60, height, title, body)


def lines(labels: list[str], series: list[tuple[str, list]], title: str, *, percent: bool = False) -> SafeString:
    """A line per series over the months (intake and closure; on-time rate trend). ``None`` gaps."""
    # ``right`` leaves room for half of the last month's label, centred on the last point.
    width, height, left, bottom, top_pad, right = 640, 240, 48, 40, 28, 32
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    values = [v for _n, vs in series for v in vs if v is not None]
    top = 1.0 if percent else (max(values or [0]) or 1)
    n = max(1, len(labels) - 1)
    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}" stroke="#9e9e9e"/>'
    ]
    for frac in (0, 0.5, 1):
        y = top_pad + plot_h - plot_h * frac
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{_fmt(top * frac, percent)}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#eeeeee"/>'
        )
    step = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % step == 0:
            x = left + plot_w * i / n
            body.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" {FONT}>{escape(label)}</text>'
            )
    for s, (name, vs) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        points = [
            f"{left + plot_w * i / n:.1f},{top_pad + plot_h - plot_h * v / top:.1f}"
            for i, v in enumerate(vs)
            if v is not None
        ]
        if len(points) > 1:
            body.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(points)}"/>')
        for p in points:
            x, y = p.split(",")
            body.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{color}"/>')
        body.append(
            f'<rect x="{left + s * 120}" y="6" width="12" height="12" fill="{color}"/>'
            f'<text x="{left + s * 120 + 16}" y="16" {FONT}>{escape(name)}</text>'
        )
    return _svg(width, height, title, body)


def stacked(items: list[tuple[str, int]], title: str) -> SafeString:
    """One 100% bar split by share, with a legend (the outcome mix)."""
    width, bar_h = 640, 28
    total = sum(v for _l, v in items) or 1
    body, x = [], 0.0
    for i, (_label, value) in enumerate(items):
        w = (width - 2) * value / total
        if w > 0:
            body.append(
                f'<rect x="{x + 1:.1f}" y="4" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
        x += w
    per_row = 4
    for i, (label, value) in enumerate(items):
        col, line = i % per_row, i // per_row
        lx, ly = 1 + col * 160, bar_h + 22 + line * 18
        share = value / total * 100
        body.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{lx + 16}" y="{ly}" {FONT}>{escape(label)} {value}（{share:.0f}%）</text>'
        )
    rows = (len(items) + per_row - 1) // per_row
    return _svg(width, bar_h + 18 + rows * 18 + 6, title, body)
