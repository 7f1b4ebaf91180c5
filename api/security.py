"""API keys: `require_admin` closes the admin actions, `require_reader` optionally the rest.

A key is sent as `Authorization: Bearer <key>` (what OpenAI clients send as their `api_key`)
or as `X-API-Key: <key>`, and compared in constant time. Admin actions need
`security.admin_api_key`; with no key configured they are switched off (403 saying how to turn
them on), never open. Questions and documents are open unless `security.read_api_key` is set;
the admin key opens them too.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr

from qa.errors import Forbidden, Unauthorized
from qa.settings import Settings

# auto_error=False: a missing key is our own 401 in problem details, not FastAPI's 403
_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key.")

Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
ApiKeyHeader = Annotated[str | None, Depends(_api_key_header)]


def presented_key(bearer: HTTPAuthorizationCredentials | None, header: str | None) -> str | None:
    """The key the request carries, from either header (the Bearer one first)."""
    if bearer is not None and bearer.credentials:
        return bearer.credentials
    return header or None


def key_matches(presented: str | None, expected: SecretStr) -> bool:
    """Constant-time comparison, so response times do not leak how much of a key was right."""
    if presented is None:
        return False
    return secrets.compare_digest(
        presented.encode("utf-8"), expected.get_secret_value().encode("utf-8")
    )


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def require_admin(request: Request, bearer: Bearer, header: ApiKeyHeader) -> None:
    """Dependency for admin actions (rebuild, reload, add or delete documents, rollback)."""
    expected = _settings(request).security.admin_api_key
    if expected is None:
        raise Forbidden(
            "admin actions are disabled: set QA_SECURITY__ADMIN_API_KEY (16 characters or "
            "more) when starting the server, then send it as 'Authorization: Bearer <key>'"
        )
    if not key_matches(presented_key(bearer, header), expected):
        raise Unauthorized(
            "this admin action needs the admin API key: send 'Authorization: Bearer <key>' "
            "or 'X-API-Key: <key>'"
        )


def require_reader(request: Request, bearer: Bearer, header: ApiKeyHeader) -> None:
    """Dependency for questions, documents and metrics: open unless `security.read_api_key`
    is set."""
    security = _settings(request).security
    if security.read_api_key is None:
        return
    presented = presented_key(bearer, header)
    if key_matches(presented, security.read_api_key):
        return
    if security.admin_api_key is not None and key_matches(presented, security.admin_api_key):
        return
    raise Unauthorized(
        "this server needs its read API key for questions, documents and metrics: send "
        "'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
    )


AdminAccess = Depends(require_admin)
ReadAccess = Depends(require_reader)
