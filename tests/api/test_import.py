"""Batch import: CSV and .xlsx, all rows validated, all or nothing unless --skip-invalid."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from casework.models import Case

HEADING = [
    "姓名", "性别", "联系电话", "身份证号码", "企业代码", "诉求类别",
    "受理渠道", "反映问题", "职工诉求", "涉及人数", "紧急", "同意",
]  # fmt: skip
GOOD = [
    "王建国", "女", "13912345678", "11010519491231002X", "DEMO-E1", "wages",
    "主席接待日", "拖欠工资", "支付工资", "2", "否", "是",
]  # fmt: skip
GOOD2 = ["李秀英", "女", "", "", "DEMO-E2", "社会保险", "hotline", "未缴社保", "补缴", "", "是", "是"]
BAD = ["", "男", "12", "123", "NOPE", "wages", "reception_day", "x", "y", "0", "也许", "否"]


def _csv(*rows, encoding="utf-8-sig") -> bytes:
    lines = [",".join(HEADING)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def _xlsx(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADING)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _run(tmp_path, data: bytes, name: str, *args):
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cases", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_csv_imports_every_good_row(tmp_path, users):
    out, err = _run(tmp_path, _csv(GOOD, GOOD2), "export.csv", "--as", "desk")
    assert "2 rows, 2 imported, 0 invalid" in out and not err
    cases = Case.objects.order_by("number")
    assert cases.count() == 2
    assert cases[0].owner == users["desk"] and cases[0].workers_involved == 2 and cases[0].status == "enterprise"
    assert cases[1].urgent is True and cases[1].category.code == "social_insurance"


def test_gb18030_csv(tmp_path, users):
    out, _ = _run(tmp_path, _csv(GOOD, encoding="gb18030"), "export.csv", "--as", "desk")
    assert "1 imported" in out and Case.objects.get().worker.name == "王建国"


def test_one_bad_row_imports_nothing_and_reports_every_problem(tmp_path, users):
    with pytest.raises(CommandError, match="nothing imported"):
        _run(tmp_path, _csv(GOOD, BAD, GOOD2), "export.csv", "--as", "desk")
    assert Case.objects.count() == 0


def test_report_names_row_and_field(users):
    from casework.api.importing import import_file

    report = import_file(_csv(GOOD, BAD), "x.csv", actor=users["desk"])
    assert report.imported == [] and report.bad_rows == 1
    fields = {e.field for e in report.errors if e.row == 3}
    assert {"worker.name", "workers_involved", "urgent"} <= fields
    # A row that passes the format but breaks a service rule is reported too.
    row = list(GOOD)
    row[4] = "NOPE"
    report = import_file(_csv(row), "x.csv", actor=users["desk"])
    assert [(e.row, e.field) for e in report.errors] == [(2, "enterprise")]


def test_skip_invalid_keeps_the_good_rows(tmp_path, users):
    out, err = _run(tmp_path, _csv(GOOD, BAD, GOOD2), "export.csv", "--as", "desk", "--skip-invalid")
    assert "3 rows, 2 imported, 1 invalid" in out and "row 3" in err
    assert Case.objects.count() == 2


def test_xlsx(tmp_path, users):
    out, _ = _run(tmp_path, _xlsx(GOOD, GOOD2), "export.xlsx", "--as", "desk")
    assert "2 imported" in out and Case.objects.count() == 2


def test_unreadable_files_and_unknown_users(tmp_path, users):
    with pytest.raises(CommandError, match="xlsx"):
        _run(tmp_path, b"not a zip", "broken.xlsx", "--as", "desk")
    with pytest.raises(CommandError, match="CSV"):
        _run(tmp_path, b"x", "export.pdf", "--as", "desk")
    with pytest.raises(CommandError, match="user not found"):
        _run(tmp_path, _csv(GOOD), "export.csv", "--as", "nobody")


def test_a_user_who_may_not_register_imports_nothing(tmp_path, users):
    with pytest.raises(CommandError):
        _run(tmp_path, _csv(GOOD), "export.csv", "--as", "officer_enterprise")
    assert Case.objects.count() == 0


def test_admin_page(client, users):
    client.force_login(users["admin"])
    changelist = client.get("/admin/casework/case/")
    assert "/admin/casework/case/import/" in changelist.content.decode()
    assert client.get("/admin/casework/case/import/").status_code == 200
    upload = SimpleUploadedFile("export.csv", _csv(GOOD, BAD), content_type="text/csv")
    r = client.post("/admin/casework/case/import/", {"file": upload})
    assert r.status_code == 200 and Case.objects.count() == 0
    assert "有误 1 行" in r.content.decode()
    upload = SimpleUploadedFile("export.csv", _csv(GOOD, BAD), content_type="text/csv")
    r = client.post("/admin/casework/case/import/", {"file": upload, "skip_invalid": "on"})
    assert Case.objects.count() == 1 and Case.objects.get().owner == users["admin"]


def test_admin_page_needs_the_register_permission(client, users):
    users["officer_enterprise"].is_staff = True
    users["officer_enterprise"].save()
    client.force_login(users["officer_enterprise"])
    assert client.get("/admin/casework/case/import/").status_code == 403
