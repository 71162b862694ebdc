"""Nobody is notified of their own action."""

from __future__ import annotations

import pytest

from casework import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_desk_is_not_told_of_what_it_did(users, make_case):
    desk = users["desk"]
    case = make_case()
    services.case_resolve(case=case.number, actor=users["officer_enterprise"], outcome="resolved", result="已补发")
    services.case_reply(case=case.number, actor=desk, method="phone", content="电话告知")
    mine = Notification.objects.filter(user=desk)
    assert not mine.filter(event__in=["case_registered", "case_replied"]).exists()
    assert mine.filter(event="case_resolved").exists()  # another's action still reaches the owner
