"""Issue #20 section 4: the 个案访谈登记表 with its 备注 and the form's own words, the printed
form line for line, the phone masked with a logged unmask, 听取汇报, 八必访, the eight
enterprise types and the union facts (editable and exported)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit
from tests.xlsx_layout import assert_layout
from visits import selectors, services
from visits.models import EnterpriseType, InterviewAccessLog, MustVisit, VisitKind

from ..conftest import PASSWORD
from .conftest import visit_input

pytestmark = pytest.mark.django_db

PAPER_ROWS = [
    "所在地区", "省（市、区）", "市（区）", "工作单位", "姓名", "性别", "出生年月", "户籍所在地", "民族",
    "政治面貌", "受教育程度", "现任职务或岗位", "职称（技术等级）", "是否农民工或劳务派遣工", "备注", "访问地点",
    "访问时间", "访问员（签名）", "访问记录原稿共（2）页", "整理后的个案材料共（1）页", "调查组负责人（签名）",
]  # fmt: skip


def test_the_printed_form_follows_the_paper_line_for_line(client, users, make_interview):
    interview = make_interview(remark="职工要求不公开姓名。")
    assert client.login(username="leader", password=PASSWORD)
    text = client.get(reverse("visits:interview_print", args=[interview.pk])).content.decode()
    positions = [text.index(label) for label in PAPER_ROWS]
    assert positions == sorted(positions), "the rows are in the paper form's order"
    assert "职工要求不公开姓名。" in text
    assert "13912340001" not in text and "联系电话" not in text  # the paper form has no phone line
    assert "个案编号" in text


def test_the_interview_page_masks_the_phone_and_logs_an_unmask(client, users, make_interview):
    interview = make_interview()
    assert client.login(username="leader", password=PASSWORD)
    url = reverse("visits:interview", args=[interview.pk])
    text = client.get(url).content.decode()
    assert "13912340001" not in text and "139****0001" in text
    assert not InterviewAccessLog.objects.exists()
    text = client.get(url + "?unmask=1").content.decode()
    assert "13912340001" in text
    access = InterviewAccessLog.objects.get()
    assert (access.interview, access.user, access.kind) == (interview, users["leader"], "page")


def test_an_outsider_with_the_page_cannot_unmask(client, users, make_interview):
    interview = make_interview()
    assert client.login(username="supervisor", password=PASSWORD)  # sees the group, not its members
    text = client.get(reverse("visits:interview", args=[interview.pk]) + "?unmask=1").content.decode()
    assert "13912340001" not in text
    assert not InterviewAccessLog.objects.exists()


def test_remark_is_kept_and_a_signed_form_stays_as_signed(users, make_interview):
    from .conftest import interview_input

    interview = make_interview(remark="补充材料两页。")
    assert interview.remark == "补充材料两页。"
    services.interview_sign_off(actor=users["leader"], interview=interview)
    with pytest.raises(InvalidInput) as exc:
        services.interview_update(actor=users["leader"], interview=interview, data=interview_input(remark="改"))
    assert "签字" in str(exc.value.message)


def test_briefing_kind_and_the_eight_must_visit_choices(users, group):
    assert VisitKind.BRIEFING.label == "听取汇报"
    assert [str(c.label) for c in MustVisit] == [
        "生产一线职工", "生活困难职工", "农民工", "劳务派遣工", "青年职工", "劳动模范", "工会代表", "有利益诉求职工",
    ]  # fmt: skip
    services.visit_create(actor=users["leader"], group=group, data=visit_input(kind="briefing"))
    services.visit_create(actor=users["leader"], group=group, data=visit_input(kind="home", must_visit="hardship"))
    with pytest.raises(InvalidInput) as exc:
        services.visit_create(actor=users["leader"], group=group, data=visit_input(kind="forum", must_visit="model"))
    assert "入户走访" in str(exc.value.fields["must_visit"][0])
    with pytest.raises(InvalidInput):
        services.visit_create(actor=users["leader"], group=group, data=visit_input(kind="home", must_visit="nope"))


def test_eight_enterprise_types_and_union_facts_edited_and_exported(client, users):
    assert len(EnterpriseType) == 8
    e1 = OrgUnit.objects.get(code="DEMO-E1")
    services.enterprise_profile_set(
        actor=users["leader"], enterprise=e1, types=["union_weak", "contact_point"], has_union=True,
        wage_bargaining=True,
    )  # fmt: skip
    assert client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("visits:enterprises")).content.decode()
    assert "已建会" in page and "工会工作基础薄弱" in page
    response = client.post(
        reverse("visits:enterprise_types", args=[e1.pk]), {"types": ["rarely_contacted"], "collective_contract": "on"}
    )
    assert response.status_code == 302
    e1.visit_profile.refresh_from_db()
    assert e1.visit_profile.types == ["rarely_contacted"] and e1.visit_profile.collective_contract
    assert not e1.visit_profile.has_union
    ws = load_workbook(io.BytesIO(client.get(reverse("visits:enterprises_xlsx")).content)).active
    assert_layout(ws, title="企业类型与工会工作情况", period="统计时点", header="企业")
    rows = list(ws.iter_rows(min_row=3, values_only=True))  # below the title and period
    assert "以往缺乏联系" in rows[0] and "已签订集体合同" in rows[0]
    row = next(r for r in rows if r[0] == e1.name)
    header = list(rows[0])
    assert row[header.index("以往缺乏联系")] == "是" and row[header.index("已签订集体合同")] == "是"
    assert row[header.index("已建会")] in ("", None)
    client.logout()
    assert client.login(username="officer_elsewhere", password=PASSWORD)
    rows = list(load_workbook(io.BytesIO(client.get(reverse("visits:enterprises_xlsx")).content)).active.values)
    assert all(r[0] != e1.name for r in rows)


def test_the_interview_sample_is_summarised(users, group, make_visit, make_interview):
    services.enterprise_profile_set(actor=users["leader"], enterprise=OrgUnit.objects.get(code="DEMO-E1"),
                                    types=["difficult"])  # fmt: skip
    visit = make_visit()
    make_interview(visit=visit)  # male, born 1982-05, 农民工, 初中
    make_interview(visit=visit, gender="female", birth_month="2003-01", migrant=False, dispatched=True, education="")
    sample = dict(selectors.interview_sample(group))
    assert dict(sample["性别"]) == {"男": 1, "女": 1}
    assert sum(dict(sample["年龄段"]).values()) == 2 and "25岁以下" in dict(sample["年龄段"])
    assert dict(sample["用工形式"]) == {"农民工": 1, "劳务派遣工": 1}
    assert dict(sample["文化程度"]) == {"初中": 1, "未填": 1}
    assert dict(sample["企业类型"]) == {"经营困难": 2}


def test_outline_sections_are_optional_structured_notes(users, make_interview):
    interview = make_interview(outline={"s2": "在厂工作八年。", "s8": "希望补发工资。"})
    assert [t for t, _n in interview.outline_sections()] == [
        "二、被访者主要工作经历及感受", "八、被访者最需要解决的困难、最希望要反映的问题或建议",
    ]  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        make_interview(outline={"s9": "x"})
    assert "第一至第八" in str(exc.value.fields["outline"][0])


def test_report_stages_and_the_same_day_rule(users, make_interview):
    import datetime as dt

    from django.utils import timezone

    interview = make_interview(interviewed_at=timezone.now() - dt.timedelta(days=3))
    today = timezone.localdate()
    assert interview.report_stage() == "整理中" and interview.late(today)
    with pytest.raises(InvalidInput) as exc:
        services.interview_submit(actor=users["leader"], interview=interview)
    assert "签字" in str(exc.value.message)
    with pytest.raises(NotAllowed):
        services.interview_write_up(actor=users["officer_elsewhere"], interview=interview)
    interview = services.interview_write_up(actor=users["officer_union"], interview=interview)
    assert interview.report_stage() == "已整理" and interview.late(today)  # written up, but late
    with pytest.raises(InvalidInput):
        services.interview_write_up(actor=users["officer_union"], interview=interview)
    interview = services.interview_sign_off(actor=users["leader"], interview=interview)
    with pytest.raises(NotAllowed):
        services.interview_submit(actor=users["officer_union"], interview=interview)
    interview = services.interview_submit(actor=users["leader"], interview=interview)
    assert interview.report_stage() == "已报送活动办公室"
    fresh = make_interview()
    assert not fresh.late(today)  # interviewed today: written up by tomorrow is in time


def test_the_interview_page_shows_the_stage_and_a_late_write_up(client, users, make_interview):
    import datetime as dt

    from django.utils import timezone

    interview = make_interview(interviewed_at=timezone.now() - dt.timedelta(days=3))
    assert client.login(username="officer_union", password=PASSWORD)
    text = client.get(reverse("visits:interview", args=[interview.pk])).content.decode()
    assert "整理中" in text and "逾期未整理" in text
    assert client.post(reverse("visits:interview_write_up", args=[interview.pk])).status_code == 302
    assert "已整理" in client.get(reverse("visits:interview", args=[interview.pk])).content.decode()


def test_originals_attach_under_the_case_rules_until_signed(client, users, make_interview, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CASEWORK_ATTACHMENT_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    interview = make_interview()
    saved = services.interview_attach(
        actor=users["officer_union"], interview=interview, files=[SimpleUploadedFile("原稿.png", png, "image/png")]
    )
    assert saved[0].content_type == "image/png"
    with pytest.raises(InvalidInput):  # not an allowed type (the case rules)
        services.interview_attach(
            actor=users["officer_union"], interview=interview, files=[SimpleUploadedFile("x.exe", b"MZ" * 40)]
        )
    assert client.login(username="leader", password=PASSWORD)
    url = reverse("visits:interview_attachment", args=[interview.pk, saved[0].pk])
    assert client.get(url).status_code == 200
    services.interview_sign_off(actor=users["leader"], interview=interview)
    with pytest.raises(InvalidInput) as exc:
        services.interview_attach(
            actor=users["officer_union"], interview=interview, files=[SimpleUploadedFile("b.png", png, "image/png")]
        )
    assert "签字" in str(exc.value.message)
    client.logout()
    assert client.login(username="officer_elsewhere", password=PASSWORD)
    assert client.get(url).status_code == 404
