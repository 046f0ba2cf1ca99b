"""Word 97–2003 (.doc) and WPS Office (.wps) files, converted to .docx by LibreOffice; an RTF
saved under either name too.

Many Chinese government attachments are still published as .doc or .wps: binary files in an
OLE compound container, which python-docx cannot read. LibreOffice's own import filters can,
and it is a well-kept reader of both; it runs headless (Debian's libreoffice-writer-nogui), in
a scratch folder with a profile of its own (so two conversions at once do not share one),
and its .docx is then read as any other (rag.ingest). Where it is not installed, the file is
refused with a message saying what to install or how to save the file instead.

Nothing is run from the file: LibreOffice converts without a window, and its macro security
(high by default) does not run a document's macros. Nor does it fetch what the file links to
(an RTF including a picture and a text from a local web server made no request). A conversion
past CONVERT_SECONDS is stopped and the file refused.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import ParseError

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file signature of .doc and .wps
CONVERT_SECONDS = 120
INSTALL = ("reading .doc and .wps files needs LibreOffice (Debian: apt-get install libreoffice-writer-nogui); "
           "or open it in Word or WPS and save it as .docx")


def soffice() -> str | None:
    """The LibreOffice command, where it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(raw: bytes, path: Path) -> bytes:
    """The .docx LibreOffice makes of a .doc or .wps file's bytes (a Word binary, or an RTF).
    Raises ParseError naming the file: not such a file, LibreOffice missing, or a conversion
    that failed or took too long."""
    kind = "MS Word 97" if raw.startswith(OLE) else "Rich Text Format" if raw.startswith(b"{\\rtf") else None
    if kind is None:
        raise ParseError(f"{path}: not a Word 97–2003, WPS or RTF document (no compound-file signature); "
                         "save it as .docx.")
    program = soffice()
    if program is None:
        raise ParseError(f"{path}: {INSTALL}.")
    with tempfile.TemporaryDirectory(prefix="rag-convert-") as tmp:
        source = Path(tmp) / f"document{path.suffix.lower()}"
        source.write_bytes(raw)
        # The filter named, not guessed: a .wps is a Word binary in the same container, and a
        # damaged file is refused rather than imported as text.
        command = [program, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                   f"--infilter={kind}", f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(Path(tmp, "out")), str(source)]
        try:
            code, said = _run(command, tmp)
        except subprocess.TimeoutExpired as e:
            raise ParseError(f"{path}: converting it took over {CONVERT_SECONDS} s; save it as .docx.") from e
        except OSError as e:
            raise ParseError(f"{path}: cannot run LibreOffice to read it ({e.strerror or e}).") from e
        made = Path(tmp, "out", "document.docx")
        if code or not made.is_file():
            raise ParseError(f"{path}: LibreOffice could not read it{': ' + said if said else ''}; "
                             "open it in Word or WPS and save it as .docx.")
        return made.read_bytes()


def _run(command: list[str], folder: str) -> tuple[int, str]:
    """Run LibreOffice in a session of its own: its exit code and the last line it wrote. Past
    CONVERT_SECONDS the whole session is killed (the soffice script starts soffice.bin, which a
    plain kill of the script would leave running), and TimeoutExpired raised."""
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=folder, env=dict(os.environ, HOME=folder), start_new_session=True)
    try:
        out, err = proc.communicate(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    lines = (err or out).decode(errors="replace").strip().splitlines()
    return proc.returncode, lines[-1][-200:] if lines else ""
