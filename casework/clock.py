"""The one injectable clock: tests move time with time-machine, code calls ``now()``."""

from django.utils import timezone


def now():
    return timezone.now()
