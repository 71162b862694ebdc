"""Recompute the per-case audit chains and name the first broken link of each case."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.chain import verify


class Command(BaseCommand):
    help = "Verify the hash chain of every case's history (or one case's): exit 1 on a broken link."

    def add_arguments(self, parser):
        parser.add_argument("--case", dest="number", help="case number, e.g. GH-2026-000123")

    def handle(self, *args, number=None, **options):
        checked, breaks = verify(number)
        if number is not None and not checked:
            raise CommandError(_("没有案件 %(number)s 的历史记录。") % {"number": number})
        for item in breaks:
            self.stderr.write(_("审计链断裂：%(where)s") % {"where": item})
        if breaks:
            message = _("%(bad)s 个案件的审计链断裂（共检查 %(n)s 个）。")
            raise CommandError(message % {"bad": len(breaks), "n": checked})
        self.stdout.write(_("审计链完好：共检查 %(n)s 个案件。") % {"n": checked})
