"""Bilingual question answering over Chinese employment and social-insurance policy documents.

The one API: `Engine.open(Config.from_env())`, then `ask(question)` and `cite(id)`.
Heavy modules load lazily, so `import rag` is cheap.
"""

from .config import Config
from .document import Answer, Citation, Document, Hit, Paragraph, Section
from .errors import CitationError, IndexStateError, ModelError, ParseError, RagError

__all__ = ["Answer", "Citation", "Config", "Document", "Engine", "Hit", "Paragraph", "Section", "CitationError",
           "IndexStateError", "ModelError", "ParseError", "RagError"]


def __getattr__(name: str):
    if name == "Engine":
        from .engine import Engine

        return Engine
    raise AttributeError(name)
