"""``manage.py import_cases FILE [--skip-invalid] [--as USERNAME]``: a hotline export (CSV/.xlsx)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from casework.api.importing import ImportFileError, import_file


class Command(BaseCommand):
    help = "Import petitions from a CSV or .xlsx file; all rows are validated, nothing is imported if one is bad."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--skip-invalid", action="store_true", help="import the good rows, report the bad ones")
        parser.add_argument(
            "--as", dest="username", help="the registering staff user (首问负责人); default: the first superuser"
        )

    def handle(self, *args, file, skip_invalid, username, **options):
        users = get_user_model().objects.filter(is_active=True)
        actor = users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        if actor is None:
            raise CommandError(f"user not found: {username or '(no superuser)'}; pass --as USERNAME")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            report = import_file(path.read_bytes(), path.name, actor=actor, skip_invalid=skip_invalid)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for error in report.errors:
            field = f" {error.field}" if error.field else ""
            self.stderr.write(f"row {error.row}{field}: {error.message}")
        self.stdout.write(f"{report.rows} rows, {len(report.imported)} imported, {report.bad_rows} invalid")
        for number in report.imported:
            self.stdout.write(number)
        if report.errors and not skip_invalid:
            raise CommandError("nothing imported: fix the rows above or pass --skip-invalid")
