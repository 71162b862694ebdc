"""``outcome_report --from YYYY-MM-DD --to YYYY-MM-DD [--unit CODE] [--format json|csv|xlsx] [--output PATH]``."""

from __future__ import annotations

import json
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from casework.clock import now
from casework.exceptions import CaseworkError
from casework.xlsx import period_label
from reports import exports
from reports.selectors.outcomes import outcome_report
from reports.selectors.scope import parse_scope


class Command(BaseCommand):
    help = "事事有结果报表：按统计区间与单位输出（json、csv 或 xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--unit", default="", help="单位代码（默认全部）")
        parser.add_argument("--format", default="json", choices=["json", "csv", "xlsx"])
        parser.add_argument("--output", default="", help="输出文件（默认标准输出；xlsx 必须指定）")

    def handle(self, *args, **options):
        try:
            scope = parse_scope(
                date_from=options["date_from"], date_to=options["date_to"], unit=options["unit"], everything=True
            )
        except CaseworkError as exc:
            messages = [str(m) for ms in exc.fields.values() for m in ms] or [str(exc.message)]
            raise CommandError("；".join(messages)) from None
        except Http404:
            raise CommandError(_("单位不存在：%(code)s") % {"code": options["unit"]}) from None
        report = outcome_report(scope, at=now())
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            if not output:
                raise CommandError(_("xlsx 格式需要 --output 文件路径。"))
            unit = scope.unit.name if scope.unit else _("全部单位")
            title = unit + " · " + _("事事有结果报表")
            book = {"title": title, "period": period_label(scope.date_from, scope.date_to)}
            with exports.xlsx_file(exports.report_tables(report), **book) as src, open(output, "wb") as dst:
                shutil.copyfileobj(src, dst)
            return
        text = (
            json.dumps(report, ensure_ascii=False, indent=2)
            if fmt == "json"
            else "".join(exports.csv_chunks(exports.report_tables(report)))
        )
        if output:
            with open(output, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        else:
            sys.stdout.write(text + ("\n" if fmt == "json" else ""))
