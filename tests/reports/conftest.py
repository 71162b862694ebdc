"""Fixtures of the reports tests: cases dated in the past, built through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import case_input


@pytest.fixture
def at_day():
    def _at(day: dt.date, hour: int = 10) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), timezone.get_default_timezone())

    return _at


@pytest.fixture
def register(users):
    from casework import services

    def _register(actor=None, accept=True, **overrides):
        return services.case_register(actor=actor or users["desk"], data=case_input(**overrides), accept=accept)

    return _register
