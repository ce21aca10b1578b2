"""One error hierarchy. Every message says what went wrong and what the user can do about it."""


class BaocaoError(Exception):
    """Base class: the CLI prints these as a one-line message and exits non-zero, never a traceback."""

    exit_code = 1


class ConfigError(BaocaoError):
    pass


class IngestError(BaocaoError):
    """A file could not be read or made into a document. The batch goes on without it."""


class EmptyFileError(IngestError):
    pass


class EncodingError(IngestError):
    pass


class NoTextLayerError(IngestError):
    pass


class FileTooLargeError(IngestError):
    pass


class ContentTooLargeError(FileTooLargeError):
    """A file small on disk whose content is not: a .docx expanding to far more XML than a report holds,
    a PDF with more pages or page content than the limits derived from `max_file_mb`."""


class UnsupportedFormatError(IngestError):
    pass


class IndexNotFoundError(BaocaoError):
    pass


class DocumentNotFoundError(BaocaoError):
    pass


class StoreError(BaocaoError):
    pass


class EmbedderError(BaocaoError):
    pass


class GoldFormatError(BaocaoError):
    pass


class LLMError(BaocaoError):
    pass


class UnknownProvinceError(BaocaoError):
    pass


class IndexBusyError(BaocaoError):
    """Another process holds the index's writer lock for longer than we were willing to wait."""


class QuestionTooLongError(BaocaoError):
    """A question over `rag.query.MAX_QUESTION_CHARS`: refused before any work is spent on it."""


class PermissionDeniedError(BaocaoError):
    """The signed-in user (or an anonymous caller) may not do this."""
