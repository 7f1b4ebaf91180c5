"""The error tree. `api/errors.py` maps each kind to one HTTP status in one place."""


class QAError(Exception):
    """Base of every error this service raises on purpose."""


class BadInput(QAError):
    """The caller sent something unusable; the message says what to fix, and `param`, when
    one field is at fault, names it (OpenAI's `error.param`). `extensions`: members the
    problem details carry besides `detail`, for a client to act on (RFC 9457 extensions)."""

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        extensions: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.param = param
        self.extensions = extensions or {}


class NotFound(QAError):
    """An id that names nothing (document, paragraph)."""


class Gone(NotFound):
    """An id that named an article once, which was deleted: the message says when."""


class IndexNotBuilt(QAError):
    """No index on disk yet."""


class IndexMismatch(QAError):
    """The index on disk was built with another embedding model, dimension or format."""


class IndexCorrupt(QAError):
    """Index files are missing or unreadable. `damage` says what is wrong without the advice
    on what to do, for callers whose advice differs (a rollback choosing among versions)."""

    def __init__(self, message: str, damage: str | None = None) -> None:
        super().__init__(message)
        self.damage = damage or message


class GenerationFailed(QAError):
    """The language model could not produce text."""


class GeneratorUnavailable(GenerationFailed):
    """A remote language model could not be reached in time (down, refused, too slow); the
    caller may retry after `retry_after_s`."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Overloaded(QAError):
    """Too many questions are already waiting; the caller should retry after `retry_after_s`."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class TimedOut(QAError):
    """A question took longer than the time limit (waiting for its turn included)."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ShuttingDown(QAError):
    """The server is stopping, and a streamed question under way was not answered within the
    grace it gives (`server.shutdown_grace_s`); the caller should ask again once it is back."""


class ClientGone(QAError):
    """The client disconnected before its answer was ready: nobody is left to read the reply."""


class TooLarge(QAError):
    """The request body is larger than the configured limit."""


class Unauthorized(QAError):
    """No API key, or the wrong one, for an endpoint that needs one."""


class Forbidden(QAError):
    """The action is switched off by configuration; the message says how to enable it."""


class Conflict(QAError):
    """The request clashes with the index's state: a build is running, or the id is taken."""


class BuildBusy(Conflict):
    """Another index build still held the build lock after `index.build_lock_timeout_s`
    (index/builder.py `build_lock`); a caller that knows which build that is (this server's
    import, api/import_slot.py) says so instead."""


class EmptyCorpus(Conflict, ValueError):
    """The corpus folder holds no article the build can use (an index needs one at least)."""


class StorageFailed(QAError):
    """The index or corpus folder could not be written: its disk is full, or it is read-only
    or not writable by this process. What was under way is undone; the message says what to fix."""
