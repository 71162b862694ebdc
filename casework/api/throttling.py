"""Rate limits (429). Rates are read per request, so settings overrides apply at once."""

from rest_framework import exceptions, throttling
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


def throttle_refused_credentials(request, view) -> exceptions.Throttled | None:
    """Count a 401 against the anonymous rate of its address (``anon``), and answer 429
    once over it.

    DRF checks throttles after authentication and permissions, so a request refused with
    401 (no credentials, or a bad or expired token) would never be counted: a token guesser
    could ask without limit. The API's exception handler calls this for every 401.
    """
    if request is None or view is None:
        return None
    throttle = AnonThrottle()
    if throttle.allow_request(request, view):
        return None
    return exceptions.Throttled(wait=throttle.wait())
