"""The staff pages: intake desk, lists, case page, documents, attachments, masking."""

from __future__ import annotations

import io
import shutil
import subprocess  # noqa: S404

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Attachment, Case, CaseLink
from casework.services import attachments as att
from casework.views.pdf import weasyprint_ready
from tests.casework.helpers import INTAKE_FORM

from ...conftest import PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _attachment_root(settings, tmp_path):
    settings.CASEWORK_ATTACHMENT_ROOT = tmp_path / "attachments"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def intake_post(**overrides):
    return {**INTAKE_FORM, **overrides}


# --- intake ---------------------------------------------------------------------------


def test_intake_page_renders_labels_tied_to_inputs(client, users):
    login(client, users["desk"])
    response = client.get(reverse("casework:register"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("name", "phone", "id_number", "enterprise", "category", "channel", "summary", "attachments"):
        assert f'<label for="id_{name}">' in html
    assert 'enctype="multipart/form-data"' in html


def test_intake_registers_with_attachments_and_redirects_to_receipt(client, users, django_assert_max_num_queries):
    login(client, users["desk"])
    files = [SimpleUploadedFile("../../合同 扫描.png", PNG, "image/png"), SimpleUploadedFile("a.pdf", PDF, "x/y")]
    # About 100 of these are the registration service itself (workflow, clocks, outbox, history);
    # the page adds the form's lookups, the duplicate check and two attachments.
    with django_assert_max_num_queries(140):
        response = client.post(reverse("casework:register"), intake_post(attachments=files))
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert response["Location"] == reverse("casework:receipt", args=[case.number])
    names = sorted(a.name for a in case.attachments.all())
    assert names == ["a.pdf", "合同 扫描.png"]
    types = {a.content_type for a in case.attachments.all()}
    assert types == {"image/png", "application/pdf"}
    for a in case.attachments.all():
        assert (att.attachment_root() / a.stored_name).is_file()
        assert "/" not in a.name and ".." not in a.name


def test_intake_rejects_bad_file_type_and_writes_nothing(client, users, settings):
    login(client, users["desk"])
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 32, "image/jpeg")
    response = client.post(reverse("casework:register"), intake_post(attachments=[exe]))
    assert response.status_code == 422
    assert "不是允许的文件类型" in response.content.decode()
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0
    root = att.attachment_root()
    assert not root.exists() or not any(root.rglob("*.*"))


def test_intake_rejects_too_large_file(client, users, monkeypatch):
    monkeypatch.setattr(att, "MAX_FILE_SIZE", 100)
    login(client, users["desk"])
    big = SimpleUploadedFile("big.pdf", PDF + b"x" * 200, "application/pdf")
    response = client.post(reverse("casework:register"), intake_post(attachments=[big]))
    assert response.status_code == 422
    assert "超过单个附件" in response.content.decode()
    assert Case.objects.count() == 0


def test_intake_validates_id_and_phone_in_chinese(client, users):
    login(client, users["desk"])
    response = client.post(reverse("casework:register"), intake_post(id_number="110105194912310021", phone="12345"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "校验位不正确" in html
    assert "电话号码" in html or "有效的中国大陆" in html
    assert Case.objects.count() == 0


def test_intake_accepts_enterprise_as_picked_from_the_list(client, users):
    login(client, users["desk"])
    response = client.post(reverse("casework:register"), intake_post(enterprise="随便写的名字（DEMO-E1）"))
    assert response.status_code == 302
    response = client.post(reverse("casework:register"), intake_post(enterprise="不存在的企业", phone="13800138001"))
    assert response.status_code == 422
    assert "未找到该企业" in response.content.decode()


def test_intake_shows_duplicates_before_saving_then_links_repeat(client, users, make_case):
    first = make_case(worker={"phone": "13800138000", "id_number": ""})
    login(client, users["desk"])
    response = client.post(reverse("casework:register"), intake_post())
    assert response.status_code == 200
    html = response.content.decode()
    assert "可能重复的案件" in html and first.number in html
    assert Case.objects.count() == 1
    response = client.post(reverse("casework:register"), intake_post(duplicate=f"repeat:{first.number}"))
    assert response.status_code == 302
    new = Case.objects.exclude(pk=first.pk).get()
    assert CaseLink.objects.filter(case=new, related=first).exists()
    page = client.get(reverse("casework:detail", args=[first.number])).content.decode()
    assert new.number in page


def test_intake_merge_into_duplicate(client, users, make_case):
    first = make_case(worker={"phone": "13800138000", "id_number": ""})
    login(client, users["desk"])
    response = client.post(reverse("casework:register"), intake_post(duplicate=f"merge:{first.number}"))
    assert response.status_code == 302
    new = Case.objects.exclude(pk=first.pk).get()
    assert new.status == "merged" and new.merged_into_id == first.pk


def test_intake_duplicate_decision_must_name_a_visible_case(client, users, make_case):
    make_case(worker={"phone": "13800138000", "id_number": ""})
    login(client, users["desk"])
    response = client.post(reverse("casework:register"), intake_post(duplicate="repeat:GH-1999-000001"))
    assert response.status_code == 422
    assert "请选择对可能重复案件的处理方式" in response.content.decode()


def test_duplicate_check_endpoint_masks_for_others(client, users, make_case):
    first = make_case(worker={"phone": "13800138000", "id_number": ""})
    login(client, users["desk"])
    data = client.get(reverse("casework:duplicate_check"), {"phone": "138 0013 8000"}).json()
    assert [r["number"] for r in data["results"]] == [first.number]
    assert client.get(reverse("casework:duplicate_check"), {"phone": "bad"}).json() == {"results": []}


def test_enterprise_search(client, users):
    login(client, users["desk"])
    data = client.get(reverse("casework:enterprise_search"), {"q": "DEMO-E"}).json()
    assert any(r["code"] == "DEMO-E1" for r in data["results"])


# --- lists ----------------------------------------------------------------------------


def test_queue_and_inbox_query_counts_and_filters(client, users, make_case, django_assert_max_num_queries):
    for i in range(6):
        make_case(worker={"phone": f"1390000000{i}", "id_number": ""}, urgent=bool(i % 2))
    login(client, users["officer_enterprise"])
    # 13: the page's reads, the shell's (profile, permissions, unread count) and the user's saved filters
    with django_assert_max_num_queries(13):
        response = client.get(reverse("casework:queue"))
    assert response.status_code == 200
    assert response.content.decode().count("cw-dot--") == 6
    with django_assert_max_num_queries(13):
        filters = {"sort": "-due", "category": "wages", "q": "王", "overdue": ""}
        response = client.get(reverse("casework:queue"), filters)
    assert response.status_code == 200
    response = client.get(reverse("casework:queue"), {"category": "housing"})
    assert "没有符合条件的任务" in response.content.decode()
    login(client, users["desk"])
    with django_assert_max_num_queries(13):
        assert client.get(reverse("casework:inbox")).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(reverse("casework:archive")).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(reverse("casework:list"), {"sort": "due", "status": "enterprise"}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(client, users, make_case, django_assert_num_queries):
    make_case()
    login(client, users["officer_enterprise"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("casework:queue"))
    for i in range(4):
        make_case(worker={"phone": f"1370000000{i}", "id_number": ""})
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("casework:queue"))


# --- case page, documents, attachments, masking -------------------------------------


def test_case_page_query_count_and_content(client, users, make_case, django_assert_max_num_queries):
    case = make_case()
    login(client, users["officer_enterprise"])
    with django_assert_max_num_queries(40):
        response = client.get(reverse("casework:detail", args=[case.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "企业层面" in html and "工会层面" in html and "党委政府层面" in html
    assert 'aria-current="step"' in html
    assert 'data-action="claim"' in html and 'data-action="reply"' not in html
    # masked for an officer without the permission
    assert "13912345678" not in html and "139****5678" in html
    assert "11010519491231002X" not in html


def test_owner_sees_personal_data(client, users, make_case):
    case = make_case()
    login(client, users["desk"])
    html = client.get(reverse("casework:detail", args=[case.number])).content.decode()
    assert "13912345678" not in html and "?unmask=1" in html  # masked until asked (issue 9)
    html = client.get(reverse("casework:detail", args=[case.number]), {"unmask": "1"}).content.decode()
    assert "13912345678" in html


def test_other_county_officer_gets_404_everywhere(client, users, make_case):
    case = make_case()
    login(client, users["officer_elsewhere"])
    for name in ("detail", "receipt", "receipt_pdf"):
        assert client.get(reverse(f"casework:{name}", args=[case.number])).status_code == 404


def test_attachment_served_only_to_those_who_see_the_case(client, users, make_case):
    case = make_case()
    saved = att.attachment_add(case=case, actor=users["desk"], files=[SimpleUploadedFile("x.png", PNG, "image/png")])[0]
    url = reverse("casework:attachment", args=[case.number, saved.pk])
    login(client, users["desk"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert "sandbox" in response["Content-Security-Policy"]
    login(client, users["officer_elsewhere"])
    assert client.get(url).status_code == 404


def test_upload_on_case_page(client, users, make_case):
    case = make_case()
    login(client, users["desk"])
    response = client.post(
        reverse("casework:attach", args=[case.number]), {"attachments": [SimpleUploadedFile("s.pdf", PDF)]}
    )
    assert response.status_code == 302
    assert case.attachments.count() == 1
    response = client.post(
        reverse("casework:attach", args=[case.number]),
        {"attachments": [SimpleUploadedFile("s.txt", b"hello")]},
        follow=True,
    )
    assert "不是允许的文件类型" in response.content.decode()
    assert case.attachments.count() == 1


def test_sanitize_filename():
    assert att.sanitize_filename("../../etc/passwd", ".png") == "passwd.png"
    assert att.sanitize_filename("C:\\x\\工资条<script>.jpeg", ".jpg") == "工资条_script.jpg"
    assert att.sanitize_filename("\x00\x01", ".pdf") == "附件.pdf"


def test_receipt_page(client, users, make_case):
    case = make_case()
    login(client, users["desk"])
    html = client.get(reverse("casework:receipt", args=[case.number])).content.decode()
    assert case.number in html and "我们将于" in html and "12351" in html


def test_reply_letter_only_with_a_result(client, users, make_case):
    case = make_case()
    login(client, users["desk"])
    assert client.get(reverse("casework:reply_letter", args=[case.number])).status_code == 404


def test_action_page_shows_summary_and_timeline(client, users, make_case):
    case = make_case()
    login(client, users["officer_enterprise"])
    html = client.get(reverse("casework:act", args=[case.number, "escalate"])).content.decode()
    assert "办理过程" in html and case.summary in html


pdf_ready, pdf_reason = weasyprint_ready()


@pytest.mark.skipif(not pdf_ready, reason=f"WeasyPrint cannot render Chinese here: {pdf_reason}")
def test_receipt_pdf_renders_chinese(client, users, make_case):
    case = make_case()
    login(client, users["desk"])
    response = client.get(reverse("casework:receipt_pdf", args=[case.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, "-", "-"], input=body, capture_output=True, check=True).stdout.decode()  # noqa: S603
        assert "职工诉求受理回执" in text and case.number in text
    else:  # a subset of a CJK font is embedded: tens of kilobytes at least
        assert len(body) > 10_000


def test_pdf_says_why_when_unavailable(client, users, make_case, monkeypatch):
    from casework.views import pdf

    monkeypatch.setattr(pdf, "weasyprint_ready", lambda: (False, "无字体。"))
    case = make_case()
    login(client, users["desk"])
    response = client.get(reverse("casework:receipt_pdf", args=[case.number]))
    assert response.status_code == 503
    assert "暂时无法生成 PDF" in response.content.decode()


def test_bad_upload_object_is_rejected():
    with pytest.raises(Exception) as exc:
        att.check_files([io.BytesIO(b"")])
    assert "空文件" in str(exc.value.fields["attachments"][0])
