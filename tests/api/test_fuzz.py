"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis 4).

Every operation the schema lists is called with generated valid and invalid inputs, as the
demo ``desk`` user (a token), in-process through Django's WSGI handler. Asserted for each
response: never a server error, a documented status code and content type, and a body that
matches the schema. Operations with a ``{number}`` are fuzzed twice: with generated numbers
(404s) and with a real case of the caller, so action bodies reach the services.

Bounded: ``FUZZ_EXAMPLES`` (default 25) examples per operation, mode and case, with a fixed
seed unless ``FUZZ_SEED`` is set.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, seed, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("FUZZ_SEED", "20261122"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _document() -> dict:
    """The same document ``GET /api/v1/schema/`` serves (test_contract pins that)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


SCHEMA = schemathesis.openapi.from_dict(_document())
OPERATIONS = {
    f"{op.method.upper()} {op.path}": op
    for op in (result.ok() for result in SCHEMA.get_all_operations())
    if not op.path.endswith("/schema/")  # the document itself: test_contract checks it
}


@pytest.fixture
def fuzz_world(users, make_case, settings):
    settings.DEBUG = False
    SCHEMA.app = get_wsgi_application()
    mine = make_case()
    make_case(accept=False)
    token = Token.objects.get_or_create(user=users["desk"])[0].key
    # The worker portal's operations (/api/v1/portal/) with a worker's access to the same case.
    from portal.api import token_for
    from portal.services import Grant

    portal_token = token_for(Grant([], [mine.pk], "code"))
    # Like Django's test client: a request must not close the connection that holds the
    # test's transaction (on PostgreSQL it would really close).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"headers": {"Authorization": f"Token {token}", "X-Portal-Token": portal_token}, "number": mine.number}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(strategy, headers, mode):
    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        cache.clear()  # the fuzzer is not a client to throttle
        case.call_and_validate(headers=headers, checks=CHECKS, app=SCHEMA.app)

    try:
        run()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (e.g. a free string in the path).
        assert mode is GenerationMode.NEGATIVE


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_api_never_fails_and_matches_its_schema(name, mode, fuzz_world):
    operation = OPERATIONS[name]
    _run(operation.as_strategy(generation_mode=mode), fuzz_world["headers"], mode)
    if "{number}" in operation.path:
        real = operation.as_strategy(generation_mode=mode, path_parameters={"number": fuzz_world["number"]})
        _run(real, fuzz_world["headers"], mode)
