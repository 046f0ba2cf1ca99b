"""The package's exceptions: one base class, a few kinds a front-end can tell apart."""


class RagError(Exception):
    """Base class. The message says what failed, where, and what to do next."""


class ParseError(RagError):
    """The document cannot be parsed into paragraphs."""


class ModelError(RagError):
    """The embedding model cannot be loaded or used."""


class IndexStateError(RagError):
    """The index is missing, broken or out of date and may not be rebuilt."""


class CitationError(RagError):
    """A citation id that does not exist in the document."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.suggestions = suggestions

