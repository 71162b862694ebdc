"""Visibility follows the unit tree like cases: another county answers 404; writes need membership."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.demo import staff_ensure
from casework.exceptions import NotAllowed
from casework.models import OrgUnit
from casework.models.org import Role
from visits import selectors, services
from visits.models import Visit

from ..conftest import PASSWORD
from .conftest import visit_input

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def filled(users, group, make_visit, make_interview):
    visit = services.visit_create(
        actor=users["officer_union"],
        group=group,
        data=visit_input(),
        files=[SimpleUploadedFile("合影.png", PNG, content_type="image/png")],
    )
    interview = make_interview(visit=visit)
    return group, visit, interview


def _urls(group, visit, interview):
    return [
        reverse("visits:group", args=[group.pk]),
        reverse("visits:register_xlsx", args=[group.pk]),
        reverse("visits:visit", args=[visit.pk]),
        reverse("visits:visit_attachment", args=[visit.pk, visit.attachments.get().pk]),
        reverse("visits:interview", args=[interview.pk]),
        reverse("visits:interview_print", args=[interview.pk]),
        reverse("visits:interview_pdf", args=[interview.pk]),
    ]


def test_another_county_gets_404_everywhere(client, users, filled):
    group, visit, interview = filled
    assert client.login(username="officer_elsewhere", password=PASSWORD)
    for url in _urls(*filled):
        assert client.get(url).status_code == 404, url
    for name, pk in (
        ("visits:visit_create", group.pk),
        ("visits:group_edit", group.pk),
        ("visits:interview_create", visit.pk),
        ("visits:interview_file_case", interview.pk),
        ("visits:interview_sign_off", interview.pk),
    ):
        assert client.post(reverse(name, args=[pk])).status_code == 404, name
    assert not selectors.visible_groups(users["officer_elsewhere"]).exists()
    assert not selectors.visible_interviews(users["officer_elsewhere"]).exists()


def test_the_subtree_sees_and_members_write(client, users, filled):
    group, visit, interview = filled
    # supervisor of county A: not a member, sees everything, may not record
    assert client.login(username="supervisor", password=PASSWORD)
    for url in _urls(*filled):
        if url.endswith(".pdf"):
            continue
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("visits:visit_create", args=[group.pk])).status_code == 403
    with pytest.raises(NotAllowed):
        services.visit_create(actor=users["supervisor"], group=group, data=None)
    # the province admin sees county A too
    assert selectors.visible_groups(users["admin"]).filter(pk=group.pk).exists()


def test_a_member_from_another_county_sees_their_group(users, group):
    services.workgroup_update(
        actor=users["leader"],
        group=group,
        name=group.name,
        leader=users["leader"],
        members=[users["desk"], users["officer_elsewhere"]],
    )
    assert selectors.visible_groups(users["officer_elsewhere"]).filter(pk=group.pk).exists()
    group = selectors.get_visible_group(users["officer_elsewhere"], group.pk)
    from visits import rules

    assert rules.can_record(group, users["officer_elsewhere"])


def test_only_the_group_leader_signs_off(users, make_interview):
    interview = make_interview()
    with pytest.raises(NotAllowed):
        services.interview_sign_off(actor=users["officer_union"], interview=interview)
    signed = services.interview_sign_off(actor=users["leader"], interview=interview)
    assert signed.signed_off_by == users["leader"]


def test_only_managers_over_the_unit_create_groups(users, world):
    county_b = OrgUnit.objects.get(code="DEMO-K2")
    with pytest.raises(NotAllowed):
        services.workgroup_create(actor=users["leader"], name="越权", unit=county_b, leader=users["leader"])
    with pytest.raises(NotAllowed):
        services.workgroup_create(
            actor=users["officer_union"], name="无权", unit=OrgUnit.objects.get(code="DEMO-K1"), leader=users["leader"]
        )


def test_enterprise_outside_the_groups_unit_is_refused(users, make_visit):
    from casework.exceptions import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        make_visit(enterprise=OrgUnit.objects.get(code="DEMO-E5"))
    assert "辖区" in exc.value.fields["enterprise"][0]
    assert not Visit.objects.exists()


def test_summary_of_another_county_is_404(client, users, world):
    staff_ensure(username="leader_b", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-K2"), role=Role.LEADER)
    assert client.login(username="leader_b", password=PASSWORD)
    k1 = OrgUnit.objects.get(code="DEMO-K1")
    assert client.get(reverse("visits:summary"), {"unit": k1.pk}).status_code == 404
    assert client.get(reverse("visits:summary")).status_code == 200
    e1 = OrgUnit.objects.get(code="DEMO-E1")
    assert client.get(reverse("visits:enterprise_types", args=[e1.pk])).status_code == 404
