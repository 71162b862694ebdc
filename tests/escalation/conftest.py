import datetime as dt

import pytest
from django.utils import timezone


def local(y, m, d, h=10, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, minute))


@pytest.fixture
def monday(time_machine):
    """Mon 2025-03-03 10:00 Beijing time, no holidays for weeks; time stands still."""
    time_machine.move_to(local(2025, 3, 3), tick=False)
    return local(2025, 3, 3)
