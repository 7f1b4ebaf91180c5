"""Dependencies for the routers: the service the lifespan built."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.service import QAService
from qa.errors import IndexNotBuilt


def get_service(request: Request) -> QAService:
    service: QAService | None = getattr(request.app.state, "service", None)
    if service is None:
        raise IndexNotBuilt("the service is still starting or has no index")
    return service


Service = Annotated[QAService, Depends(get_service)]
