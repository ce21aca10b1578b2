"""One error hierarchy. Every message says what went wrong and what the user can do about it."""

import re


class BaocaoError(Exception):
    """Base class: the CLI prints these as a one-line message and exits non-zero, never a traceback."""

    exit_code = 1


class ConfigError(BaocaoError):
    pass


class LexiconError(ConfigError):
    """A vocabulary file of rag/lexicon is missing, malformed or contradicts itself."""


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
    """A question over `rag.answer.query.MAX_QUESTION_CHARS`: refused before any work is spent on it."""


class PermissionDeniedError(BaocaoError):
    """The signed-in user (or an anonymous caller) may not do this."""


# Messages shown to web users name files, never where they are on the server.
_SEG = r"[^\s\\/'\"«»()<>,;]+"
_PATHS = re.compile(
    # absolute (POSIX, home, Windows drive) with two segments or more ...
    rf"(?<![\w.:/\\-])(?:[A-Za-z]:|~)?[\\/](?:{_SEG}[\\/])+{_SEG}[\\/]?"
    # ... or relative, ending in a file name with an extension (so "3/2023" or "2021/08" stay)
    rf"|(?<![\w.:/\\-])(?:[\w.~-]+[\\/])+[\w.-]*\.[A-Za-z][A-Za-z0-9]{{0,5}}\b"
)


def redact_paths(text: str) -> str:
    """`text` with every file-system path cut to its last part: «…/uploads/x.docx» -> «x.docx»."""
    return _PATHS.sub(lambda m: re.split(r"[\\/]", m.group(0).rstrip("\\/"))[-1], str(text))
