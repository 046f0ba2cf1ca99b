"""The feedback log: one JSON line per vote, written whole even with several processes."""

import errno
import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..render import esc
from .chat import Turn
from .labels import LABELS

log = logging.getLogger(__name__)


def append_jsonl(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line: O_APPEND and a single write keep lines whole across processes,
    the lock (filelock, on any OS) keeps them whole on file systems where O_APPEND alone is not
    atomic."""
    from filelock import FileLock

    data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, f"only {written} of {len(data)} bytes written", str(path))
        finally:
            os.close(fd)


MAX_REASON_CHARS = 1000


def feedback_record(turn: Turn, liked: bool | str | None, now: datetime | None = None,
                    reason: str = "") -> dict[str, Any]:
    """One line of the feedback log. Gradio sends True/False (or the option's name) for a vote
    and None or "" when the user takes a vote back: that is logged as "withdrawn"."""
    votes: dict[Any, str] = {True: "up", False: "down", "Like": "up", "Dislike": "down",
                             None: "withdrawn", "": "withdrawn"}
    vote = votes.get(liked, str(liked))
    when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    record = {"timestamp": when, "question": turn.question, "language": turn.language,
              "citations": list(turn.citations), "vote": vote}
    if reason and reason.strip():
        record["reason"] = reason.strip()[:MAX_REASON_CHARS]  # what was wrong, in the user's words
    return record


def record_feedback(path: Path, turns: tuple[Turn, ...], index: int | tuple[int, int] | list,
                    liked: bool | str | None, warn: Callable[[str], Any], reason: str = "") -> bool:
    """Log a vote on the answer at chat position `index`; `warn` tells the user if it fails."""
    position = index[0] if isinstance(index, (list, tuple)) and index else index
    if not isinstance(liked, (bool, str, type(None))) or (isinstance(liked, str) and len(liked) > 20):
        log.warning("vote with an unknown value %.80r ignored", liked)
        return False
    turn = next((t for t in turns if t.message == position), None)
    if turn is None or not turn.citations:
        # Votes are offered on answers only: a refusal or an error message cites nothing.
        log.warning("vote on message %.80r, which is not an answer", index)
        return False
    try:
        append_jsonl(path, feedback_record(turn, liked, reason=reason if isinstance(reason, str) else ""))
    except OSError as e:
        log.error("cannot write feedback to %s: %s", path, e)
        warn(esc(LABELS[turn.language]["feedback_failed"].format(reason=e.strerror or str(e))))
        return False
    return True
