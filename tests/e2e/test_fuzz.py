"""Property-based fuzzing of the HTTP API from its own OpenAPI schema (schemathesis).

Runs against the real server (real models, real index over the seeds), because that is where
odd input can do harm: the tokenizers, the language model and the SSE framing only run there.
For every operation schemathesis sends schema-valid and schema-violating requests and checks
that none gets a 5xx, that every status, content type, header and body the server answers
with is one the schema documents, and that invalid input is refused.

Not checked:
* that every schema-valid request succeeds (`positive_data_acceptance`): a white-space-only or
  over-long question is schema-valid JSON and is rightly refused with 422 (the limits come from
  settings, so the schema cannot state them);
* that every schema-violating request is refused (`negative_data_rejection`): pydantic's lax
  mode takes `0` for `false` and a Unix time for a date, more lenient than the schema but never
  harmful; making every request model strict would also refuse ISO dates in FastAPI (which
  validates the parsed JSON in Python mode).

The schema is taken from the app built in-process with default settings, the same code and
settings the server runs (schemathesis' fixture-based lazy loading fails under pytest 9).

Bounded: `MAX_EXAMPLES` requests per operation; the answering operations are the slow ones.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from qa.settings import Settings
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

MAX_EXAMPLES = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,  # an answer takes seconds on a busy CPU
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
def test_api_holds_its_schema_under_generated_input(
    case: schemathesis.Case, server: Server
) -> None:
    response = case.call_and_validate(base_url=server.url, checks=CHECKS, timeout=120)
    # whatever went in, an error is problem details carrying the request id
    if response.status_code >= 400:
        body = response.json()
        assert body["status"] == response.status_code, body
        assert [body["request_id"]] == response.headers["x-request-id"], body
