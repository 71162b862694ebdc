"""Recompute the audit chains (each case's, the access log's) and the anchors; name the first
broken link of each."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.chain import verify
from audit.ledger import verify_access_log, verify_anchors


class Command(BaseCommand):
    help = "Verify the audit chains and anchors (or one case's chain): exit 1 on a broken link."

    def add_arguments(self, parser):
        parser.add_argument("--case", dest="number", help="case number, e.g. GH-2026-000123")

    def handle(self, *args, number=None, **options):
        checked, breaks = verify(number)
        if number is not None and not checked:
            raise CommandError(_("没有案件 %(number)s 的历史记录。") % {"number": number})
        others: list = []
        if number is None:
            entries, log_breaks = verify_access_log()
            anchors, anchor_breaks = verify_anchors()
            others = [*log_breaks, *anchor_breaks]
        for item in [*breaks, *others]:
            self.stderr.write(_("审计链断裂：%(where)s") % {"where": item})
        if breaks or others:
            message = _("%(bad)s 个案件的审计链断裂（共检查 %(n)s 个），其他审计记录断裂 %(other)s 处。")
            raise CommandError(message % {"bad": len(breaks), "n": checked, "other": len(others)})
        if number is None:
            self.stdout.write(
                _("审计链完好：共检查 %(n)s 个案件、%(entries)s 条个人信息查看记录、%(anchors)s 个锚点。")
                % {"n": checked, "entries": entries, "anchors": anchors}
            )
        else:
            self.stdout.write(_("审计链完好：共检查 %(n)s 个案件。") % {"n": checked})
