"""办实事: public commitments — the yearly minimum, overdue in red, progress, result, the board."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from campaign import services
from campaign.models import CommitmentStatus
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit

from .conftest import today

pytestmark = pytest.mark.django_db


def _make(users, **kw):
    values = dict(
        actor=users["leader"], unit=OrgUnit.objects.get(code="DEMO-K1"), year=today().year,
        title="为一线职工建设爱心驿站", owner="区总工会陈主席",
        due_on=max(today() - dt.timedelta(days=1), dt.date(today().year, 1, 1)),
    )  # fmt: skip
    values.update(kw)
    return services.commitment_create(**values)


def test_a_commitment_is_noted_completed_and_published(users, world):
    c = _make(users)
    services.commitment_note(actor=users["leader"], commitment=c, text_="选址完成。")
    with pytest.raises(InvalidInput):
        services.commitment_note(actor=users["leader"], commitment=c, text_=" ")
    services.commitment_complete(actor=users["leader"], commitment=c, result="建成三处驿站。", done_on=today())
    c.refresh_from_db()
    assert c.status == CommitmentStatus.DONE and not c.overdue(today())
    with pytest.raises(InvalidInput):
        services.commitment_complete(actor=users["leader"], commitment=c, result="x", done_on=today())
    with pytest.raises(InvalidInput):
        services.commitment_note(actor=users["leader"], commitment=c, text_="还有")
    assert "爱心驿站" not in Client().get("/campaign/public/commitments/").content.decode()
    services.commitment_publish(actor=users["leader"], commitment=c)
    page = Client().get("/campaign/public/commitments/").content.decode()  # no login
    assert "爱心驿站" in page and "建成三处驿站" in page


def test_refusals(users, world):
    with pytest.raises(InvalidInput) as exc:
        _make(users, due_on=dt.date(today().year + 1, 3, 1), year=today().year)
    assert "承诺年度" in str(exc.value.fields["due_on"][0])
    with pytest.raises(InvalidInput):
        _make(users, unit=OrgUnit.objects.get(code="DEMO-E1"))
    with pytest.raises(NotAllowed):
        _make(users, actor=users["desk"])
    with pytest.raises(NotAllowed):
        _make(users, actor=users["officer_elsewhere"])
    c = _make(users)
    with pytest.raises(NotAllowed):
        services.commitment_publish(actor=users["desk"], commitment=c)


def test_the_list_shows_overdue_and_the_yearly_minimum_in_red(users, world):
    c = _make(users)
    client = Client()
    client.force_login(users["leader"])
    page = client.get("/campaign/commitments/").content.decode()
    assert c.title in page and 'class="cp-overdue"' in page
    assert re.search(r"超期 1 天|今天到期", page)  # due yesterday (or on 1 January, today)
    assert "已逾期" not in page
    assert client.get(f"/campaign/commitments/{c.pk}/").status_code == 200
    response = client.post(f"/campaign/commitments/{c.pk}/notes/", {"text_": "进展", "on": today().isoformat()})
    assert response.status_code == 302 and c.notes.count() == 1
    other = Client()
    other.force_login(users["officer_elsewhere"])
    assert other.get(f"/campaign/commitments/{c.pk}/").status_code == 404
    assert other.post(f"/campaign/commitments/{c.pk}/publish/").status_code == 404
    assert c.title not in other.get("/campaign/commitments/").content.decode()
