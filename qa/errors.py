"""The error tree. `api/errors.py` maps each kind to one HTTP status in one place."""


class QAError(Exception):
    """Base of every error this service raises on purpose."""


class BadInput(QAError):
    """The caller sent something unusable; the message says what to fix."""


class NotFound(QAError):
    """An id that names nothing (document, paragraph)."""


class IndexNotBuilt(QAError):
    """No index on disk yet."""


class IndexMismatch(QAError):
    """The index on disk was built with another embedding model, dimension or format."""


class IndexCorrupt(QAError):
    """Index files are missing or unreadable."""


class GenerationFailed(QAError):
    """The language model could not produce text."""
