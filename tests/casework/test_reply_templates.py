"""常用答复语: kept by admins in the Django admin, offered on the 答复 form for the case's
category (and those for every category), picked by a vendored script (no inline script)."""

import re

import pytest

from casework import reference, services
from casework.models import Category, ReplyTemplate
from tests.casework.helpers import bring_to


@pytest.fixture
def answered(users, make_case):
    return bring_to("answered", users, make_case)  # a wages case, its owner the desk


def _reply_page(client, users, case):
    client.force_login(users["desk"])
    response = client.get(f"/cases/{case.number}/act/reply/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_reply_form_offers_the_categorys_templates_first_then_the_general_ones(answered, client, users):
    insurance = Category.objects.get(code="social_insurance")
    ReplyTemplate.objects.create(category=insurance, title="别的类别的答复语", text="不该出现")
    ReplyTemplate.objects.create(title="已停用的答复语", text="不该出现", active=False)
    html = _reply_page(client, users, answered)
    titles = re.findall(r"data-reply-template[^>]*>([^<]+)<", html)
    assert titles[:2] == ["工资已补发 ", "引导申请劳动仲裁 "]  # the case is about wages (本类别)
    assert {"已协调解决", "政策解释说明", "转有关部门办理"} <= {t.strip() for t in titles[2:]}
    assert "别的类别的答复语" not in html and "已停用的答复语" not in html
    assert 'data-target="id_content"' in html
    assert "casework/reply_templates.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script (blocked by the CSP)"


def test_a_template_text_is_escaped_into_an_attribute(answered, client, users):
    ReplyTemplate.objects.create(title="带引号", text='经协调"已解决"<b>x</b>')
    html = _reply_page(client, users, answered)
    assert 'data-text="经协调&quot;已解决&quot;&lt;b&gt;x&lt;/b&gt;"' in html


def test_other_forms_offer_no_templates(users, make_case, client):
    case = make_case()
    client.force_login(users["desk"])
    assert "data-reply-template" not in client.get(f"/cases/{case.number}/act/inform/").content.decode()


def test_the_picked_text_is_what_the_worker_is_told_and_the_letter_says(answered, client, users):
    text = ReplyTemplate.objects.get(title="工资已补发").text
    client.force_login(users["desk"])
    done = client.post(
        f"/cases/{answered.number}/act/reply/", {"method": "phone", "content": text, "version": answered.version}
    )
    assert done.status_code == 302
    assert text in client.get(f"/cases/{answered.number}/reply-letter/").content.decode()


def test_only_the_owner_reaches_the_reply_form(answered, client, users):
    client.force_login(users["officer_elsewhere"])
    assert client.get(f"/cases/{answered.number}/act/reply/").status_code == 404
    client.force_login(users["supervisor"])  # sees the case, may not reply: sent back to the case
    response = client.get(f"/cases/{answered.number}/act/reply/")
    assert response.status_code == 302


def test_admins_keep_them_in_the_admin_in_chinese(client, users):
    client.force_login(users["admin"])
    listing = client.get("/admin/casework/replytemplate/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "常用答复语" in body and "适用类别" in body and "所有类别" in body
    form = client.get("/admin/casework/replytemplate/add/").content.decode()
    assert "留空表示适用于所有类别。" in form and "答复语" in form
    wages = Category.objects.get(code="wages")
    added = client.post(
        "/admin/casework/replytemplate/add/",
        {"category": wages.pk, "title": "分期支付", "text": "企业承诺分期支付。", "order": 5, "active": "on"},
    )
    assert added.status_code == 302
    template = ReplyTemplate.objects.get(title="分期支付")
    assert template.category == wages and template.history.count() == 1
    empty = client.post("/admin/casework/replytemplate/add/", {"title": "", "text": "", "order": 0})
    assert empty.status_code == 200 and "该字段是必填项。" in empty.content.decode()
    assert ReplyTemplate.objects.filter(title="").count() == 0


def test_staff_without_admin_rights_cannot_edit_them(client, users):
    client.force_login(users["desk"])
    response = client.get("/admin/casework/replytemplate/")
    assert response.status_code in (302, 403)


def test_seeding_is_idempotent_and_keeps_an_admins_edits(db):
    from casework.reference import ensure_reference_data

    ensure_reference_data()
    reference.ensure_reply_templates()
    count = ReplyTemplate.objects.count()
    assert count == len(reference.REPLY_TEMPLATES)
    ReplyTemplate.objects.filter(title="已协调解决").update(text="管理员改过的文字")
    reference.ensure_reply_templates()
    assert ReplyTemplate.objects.count() == count
    assert ReplyTemplate.objects.get(title="已协调解决").text == "管理员改过的文字"


def test_the_reply_service_is_unchanged_by_templates(answered, users):
    case = services.case_reply(case=answered.number, actor=users["desk"], method="sms", content="自写答复")
    assert case.reply_content == "自写答复"


def _api(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_the_api_lists_them_for_a_category(users):
    body = _api(users["desk"]).get("/api/v1/reply-templates/", {"category": "wages"}).json()
    assert [t["title"] for t in body[:2]] == ["工资已补发", "引导申请劳动仲裁"]
    assert body[0]["category"] == "wages" and body[-1]["category"] is None
    assert "社会保险已补缴" not in {t["title"] for t in body}
    everything = _api(users["desk"]).get("/api/v1/reply-templates/").json()
    assert len(everything) == len(reference.REPLY_TEMPLATES)


def test_the_api_refuses_an_unknown_category_and_strangers(users):
    bad = _api(users["desk"]).get("/api/v1/reply-templates/", {"category": "nope"})
    assert bad.status_code == 400 and bad.json()["fields"]["category"] == ["诉求类别不存在。"]
    assert _api(None).get("/api/v1/reply-templates/").status_code in (401, 403)
