"""The feedback log: one JSON line per vote, written whole even with several processes."""

import errno
import json
import logging
import os
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..guard import Window
from ..render import esc
from .chat import Turn
from .labels import LABELS

log = logging.getLogger(__name__)


MAX_FEEDBACK_BYTES = 10 * 2**20  # then the file is rotated: feedback.jsonl.1, .2, .3
BACKUPS = 3


def append_jsonl(path: Path, record: dict[str, Any], max_bytes: int = MAX_FEEDBACK_BYTES) -> None:
    """Append one JSON line: O_APPEND and a single write keep lines whole across processes,
    the lock (filelock, on any OS) keeps them whole on file systems where O_APPEND alone is not
    atomic. A file that would grow past `max_bytes` is rotated first."""
    from filelock import FileLock

    data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        if path.exists() and path.stat().st_size + len(data) > max_bytes:
            _rotate(path)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, f"only {written} of {len(data)} bytes written", str(path))
        finally:
            os.close(fd)


def _rotate(path: Path) -> None:
    """feedback.jsonl -> .1 -> .2 -> .3; the oldest is dropped."""
    for n in range(BACKUPS - 1, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{n + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))


class Ballots:
    """What this process remembers of votes, so each session has one vote per answer: the same
    vote again is not written twice, a changed one is written and replaces it (readers keep the
    last line per session and answer), and a session casting more than MAX_PER_MINUTE votes a
    minute is refused."""

    MAX_PER_MINUTE = 30

    def __init__(self) -> None:
        self.last: OrderedDict[tuple[str, int], tuple[str, str]] = OrderedDict()  # the latest 50,000
        self.votes = Window(self.MAX_PER_MINUTE, 60.0)
        self.lock = threading.Lock()

    def admit(self, session: str, answer: int, vote: str, reason: str) -> str:
        """"write", "same" (already recorded) or "flood"."""
        with self.lock:
            if self.votes.wait(session):
                return "flood"
            self.votes.add(session)
            if self.last.get((session, answer)) == (vote, reason):
                return "same"
            self.last[(session, answer)] = (vote, reason)
            if len(self.last) > 50_000:
                self.last.popitem(last=False)
            return "write"


MAX_REASON_CHARS = 1000


def feedback_record(turn: Turn, liked: bool | str | None, now: datetime | None = None,
                    reason: str = "", session: str = "") -> dict[str, Any]:
    """One line of the feedback log. Gradio sends True/False (or the option's name) for a vote
    and None or "" when the user takes a vote back: that is logged as "withdrawn". `session` is
    Gradio's random session id (not a user id), with `answer` (the chat position) the key a later
    vote replaces an earlier one by."""
    when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    record = {"timestamp": when, "question": turn.question, "language": turn.language,
              "citations": list(turn.citations), "vote": VOTES.get(liked, str(liked))}
    if session:
        record |= {"session": session[:64], "answer": turn.message}
    if reason and reason.strip():
        record["reason"] = reason.strip()[:MAX_REASON_CHARS]  # what was wrong, in the user's words
    return record


VOTES: dict[Any, str] = {True: "up", False: "down", "Like": "up", "Dislike": "down", None: "withdrawn", "": "withdrawn"}


def record_feedback(path: Path, turns: tuple[Turn, ...], index: int | tuple[int, int] | list,
                    liked: bool | str | None, warn: Callable[[str], Any], reason: str = "",
                    session: str = "", ballots: Ballots | None = None, max_bytes: int = MAX_FEEDBACK_BYTES) -> bool:
    """Log a vote on the answer at chat position `index`; `warn` tells the user if it fails.
    With `ballots`, one vote per session and answer is kept (see Ballots)."""
    position = index[0] if isinstance(index, (list, tuple)) and index else index
    if not isinstance(liked, (bool, str, type(None))) or liked not in VOTES:
        log.warning("vote with an unknown value %.80r ignored", liked)
        return False
    turn = next((t for t in turns if t.message == position), None)
    if turn is None or not turn.citations:
        # Votes are offered on answers only: a refusal or an error message cites nothing.
        log.warning("vote on message %.80r, which is not an answer", index)
        return False
    reason = reason if isinstance(reason, str) else ""
    verdict = ballots.admit(str(session)[:64], turn.message, VOTES[liked], reason.strip()) if ballots else "write"
    if verdict == "flood":
        log.warning("session %.64r votes too often: vote ignored", session)
        return False
    if verdict == "same":
        return True  # already recorded
    try:
        append_jsonl(path, feedback_record(turn, liked, reason=reason, session=str(session)), max_bytes)
    except OSError as e:
        log.error("cannot write feedback to %r: %s", str(path), e)
        warn(esc(LABELS[turn.language]["feedback_failed"].format(reason=e.strerror or str(e))))
        return False
    return True
