"""The vector index on disk: build, save atomically, load, and check that it is current.

Layout of the index folder:

    index/CURRENT                        name of the build in use, replaced atomically
    index/builds/<name>/manifest.json
    index/builds/<name>/vectors.faiss    inner product over normalized vectors (see make_index)
    index/builds/<name>/units.sqlite     one row per vector (rowid = vector id): its text
    index/builds/<name>/unit_para.npy    int32 per vector: position of its paragraph
    index/builds/<name>/unit_lang.npy    uint8 per vector: 0 Chinese, 1 English
    index/builds/<name>/unit_kind.npy    uint8 per vector: 0 the document's text, 1 a question it answers
    index/builds/<name>/terms.json       BM25 tokens and bridge phrases, saved at the build's first start
    index/builds/<name>/offtopic.json    which off-topic prototypes are far from the document (ditto)
    index/background-<key>.npy           the off-topic prototypes' vectors under the model (see derived)
    index/document.json                  the parsed document, while the file's bytes and the parser stay the same
    index/lexicon.json                   jieba's words written with the documents' characters (rag.text.use_lexicon)

Loading parses nothing in proportion to the corpus: the vectors and the arrays are
memory-mapped (FAISS maps flat and IVF indexes without a copy), and a unit's text is read
from SQLite when it is needed. Processes serving one build share it through the page cache.

The parts:
    manifest  Manifest, the build lock, building into a scratch folder, the atomic save, load
    units     Unit and units_for (what is embedded), UnitStore and UnitWriter (units by vector id)
    derived   what a start reads instead of recomputing (tokens, bridge, prototypes), keyed and remade when stale
    vectors   make_index and the IVF machinery beside it: list count, nprobe calibration,
              search parameters, recall; VectorFile, the scratch file a build streams through

The names below are re-exported copies: to change a setting such as FLAT_LIMIT (in a test),
set it on the module that reads it, rag.index.vectors.
"""

from ..errors import IndexStateError
from .manifest import FORMAT_VERSION, LoadedIndex, Manifest, build, build_lock, build_units, load, save
from .units import FIELD_LABELS, KINDS, LANGS, UNITS_DB, Unit, UnitStore, labelled, units_digest, units_for
from .vectors import (
    FLAT_LIMIT,
    TARGET_RECALL,
    VectorFile,
    calibrate_nprobe,
    ivf_lists,
    make_index,
    recall_at,
    search_params,
)

__all__ = [
    "FIELD_LABELS", "FLAT_LIMIT", "FORMAT_VERSION", "IndexStateError", "KINDS", "LANGS", "LoadedIndex", "Manifest",
    "TARGET_RECALL", "UNITS_DB", "Unit", "UnitStore", "VectorFile", "build", "build_lock", "build_units",
    "calibrate_nprobe", "ivf_lists", "labelled", "load", "make_index", "recall_at", "save", "search_params",
    "units_digest", "units_for",
]
