"""API keys: `require_admin` closes the admin actions, `require_reader` optionally the rest.

A key is sent as `Authorization: Bearer <key>` (what OpenAI clients send as their `api_key`)
or as `X-API-Key: <key>`, and compared in constant time. Admin actions need
`security.admin_api_key`; with no key configured they are switched off (403 saying how to turn
them on), never open. Questions and documents are open unless `security.read_api_key` is set;
the admin key opens them too.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import SecretStr
from starlette.datastructures import Headers
from starlette.routing import BaseRoute

from qa.errors import Forbidden, QAError, Unauthorized
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


def key_in_headers(headers: Headers) -> str | None:
    """The key the request carries, read from its headers as the dependencies read it (the
    Bearer one first), for a middleware, which runs before any dependency."""
    scheme, credentials = get_authorization_scheme_param(headers.get("authorization"))
    bearer = credentials if scheme.lower() == "bearer" and credentials else None
    return bearer or headers.get("x-api-key") or None


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


def admin_refusal(expected: SecretStr | None, presented: str | None) -> QAError | None:
    """Why an admin action is refused (403 when admin actions are switched off, 401 for a
    missing or wrong key), or None when `presented` is the admin key."""
    if expected is None:
        return Forbidden(
            "admin actions are disabled: set QA_SECURITY__ADMIN_API_KEY (16 characters or "
            "more) when starting the server, then send it as 'Authorization: Bearer <key>'"
        )
    if presented is None:
        return Unauthorized(
            "this admin action needs the admin API key: send 'Authorization: Bearer <key>' "
            "or 'X-API-Key: <key>'"
        )
    if not key_matches(presented, expected):
        return Unauthorized(
            "the admin API key sent is not this server's: send the key it was started with "
            "(QA_SECURITY__ADMIN_API_KEY) as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
        )
    return None


def require_admin(request: Request, bearer: Bearer, header: ApiKeyHeader) -> None:
    """Dependency for admin actions (rebuild, reload, add or delete documents, rollback)."""
    expected = _settings(request).security.admin_api_key
    refusal = admin_refusal(expected, presented_key(bearer, header))
    if refusal is not None:
        raise refusal


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
    if presented is None:
        raise Unauthorized(
            "this server needs its read API key for questions, documents and metrics: send "
            "'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
        )
    raise Unauthorized(
        "the API key sent is neither this server's read key nor its admin key: send the read "
        "key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
    )


AdminAccess = Depends(require_admin)
ReadAccess = Depends(require_reader)


def document_open_reads(app: FastAPI, reads: Iterable[BaseRoute]) -> None:
    """In the OpenAPI schema, the routes of `reads` (questions, documents, metrics: each behind
    `ReadAccess`) take a key only when the server has a read key: without one their `security`
    also lists `{}` (no key), as OpenAPI says an optional key. A route of them that is an admin
    action (`AdminAccess` of its own) always needs its key."""
    open_paths = {
        (route.path, method.lower())
        for route in reads
        if isinstance(route, APIRoute)
        and not any(d.dependency is require_admin for d in route.dependencies)
        for method in route.methods or ()
    }
    build_schema = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build_schema()
        settings: Settings = app.state.settings
        if settings.security.read_api_key is not None:
            return schema
        for path, method in open_paths:
            operation = schema["paths"].get(path, {}).get(method)
            if operation is not None and {} not in operation.setdefault("security", []):
                operation["security"].append({})
                operation.get("responses", {}).pop("401", None)  # no key asked, none refused
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# what a server bound to a loopback address answers to when security.allowed_hosts is empty
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """Whether `server.host` is an address only this machine reaches."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def answered_hosts(settings: Settings) -> tuple[str, ...] | None:
    """The host names the server answers to (`security.allowed_hosts`, or the loopback names
    for a server bound to a loopback address); None for any."""
    named = settings.security.allowed_hosts
    if named:
        return None if "*" in named else tuple(named)
    return LOOPBACK_NAMES if is_loopback(settings.server.host) else None


def host_name(header: str) -> str:
    """The name in a Host header, lower case, without its port ("[::1]:8000" → "::1")."""
    host = header.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else host
    name, colon, port = host.rpartition(":")
    return (name if colon and port.isdigit() else host).rstrip(".")


def host_allowed(name: str, allowed: Iterable[str]) -> bool:
    """Whether `name` is one of `allowed`, or a subdomain of an `*.` entry's domain."""
    return any(name == a or (a.startswith("*.") and name.endswith(a[1:])) for a in allowed)
