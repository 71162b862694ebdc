"""Rate limits (429). Rates are read per request, so settings overrides apply at once."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _LiveRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_LiveRate, throttling.AnonRateThrottle):
    pass


class UserThrottle(_LiveRate, throttling.UserRateThrottle):
    pass


class AuthThrottle(_LiveRate, throttling.AnonRateThrottle):
    """Token requests, per client address: slows password guessing."""

    scope = "auth"
