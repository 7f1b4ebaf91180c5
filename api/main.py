"""`python -m api.main`: serve on the configured host and port."""

from __future__ import annotations

import logging

import uvicorn

from api.app import create_app
from qa.settings import Settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.server.host, port=settings.server.port)


if __name__ == "__main__":
    main()
