"""Printable documents as PDF (WeasyPrint), from the same templates as the printable pages.

WeasyPrint needs pango and a CJK font (fonts-noto-cjk or fonts-wqy-zenhei); without them
the page still prints from the browser and the PDF link answers with a Chinese message.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


@functools.cache
def cjk_font_available() -> bool:
    """A font with Chinese glyphs is installed (fontconfig is what WeasyPrint uses)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False)  # noqa: S603
    return bool(out.stdout.strip())


def weasyprint_ready() -> tuple[bool, str]:
    """(ready, why not) for rendering Chinese PDFs."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return False, _("服务器未安装 WeasyPrint 或其依赖（pango）：%(e)s") % {"e": exc}
    if not cjk_font_available():
        return False, _("服务器未安装中文字体（fonts-noto-cjk 或 fonts-wqy-zenhei）。")
    return True, ""


def _no_fetch(url, *args, **kwargs):
    """The documents are self-contained: nothing is fetched while rendering."""
    raise ValueError(f"not fetched: {url}")


def render_pdf(request, template: str, context: dict, filename: str) -> HttpResponse:
    ready, why = weasyprint_ready()
    if not ready:
        return HttpResponse(
            _("暂时无法生成 PDF：%(why)s 请使用“打印”。") % {"why": why},
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    from weasyprint import HTML

    css = (settings.BASE_DIR / "static" / "casework" / "print.css").read_text(encoding="utf-8")
    html = render_to_string(template, {**context, "pdf": True, "pdf_css": css}, request=request)
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
