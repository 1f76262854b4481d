"""Look inside an uploaded PDF in a process of its own, with bounded memory and time.

Opening a PDF unpacks what it holds: a file of a few kilobytes may hold an object stream
compressed twice that unpacks to gigabytes, or a page tree that lists one page a million
times. The portal's checks (``services.applications.check_pdf``) read every object of
the file, so they run here, in a child process limited to ``MEMORY_BYTES`` of address
space and ``CPU_SECONDS`` of processor, and are killed after ``WALL_SECONDS``: a file
that needs more is refused as too complex to check, and the web worker that received it
never holds more than the file itself.

The child is this file run as a script by the portal's own interpreter: it imports
pikepdf and nothing of Django or of the portal. It reads the PDF on standard input and
writes one word on standard output, one of ``Outcome``'s values.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Far above what an agreement, a declaration or an answer needs (a few pages, a few MB of
# objects once unpacked; ordinary files, up to a 120-page PDF/A with 60 images, take
# 0.1–0.25 s), far below what hurts a worker of two cores and a few GiB, and short enough
# that the five documents of one answer to a 10-bis notice fit in gunicorn's 30 s.
MEMORY_BYTES = 768 * 1024 * 1024
CPU_SECONDS = 4
WALL_SECONDS = 5
MAX_PAGES = 2_000
# What qpdf says when it could not read part of the file's structure (an object stream it
# could not unpack, an object it could not parse) and went on without it: what that part
# holds was not looked at, and a reader may read it otherwise.
_UNREAD = ("error decoding stream data", "object stream", "parse error")

# Actions a PDF reader runs: scripts, programs and data imports. A document the
# officers open has no need of them (PDF/A forbids them all), wherever they are.
SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
# What a document may not do by itself as it is opened (/OpenAction) or as a page or a field
# is shown (/AA): send data, open an address or another file. The same action in a link the
# reader clicks is an ordinary hyperlink, and stays allowed.
AUTOMATIC_ACTIONS = frozenset({"/SubmitForm", "/URI", "/GoToR", "/GoToE", "/Thread"})


class Outcome(StrEnum):
    OK = "ok"
    ENCRYPTED = "encrypted"  # nobody can read it without the password
    DAMAGED = "damaged"  # a reader cannot open it
    NO_PAGES = "no_pages"
    TOO_MANY_PAGES = "too_many_pages"
    SCRIPT = "script"  # JavaScript, or an action that launches a program or imports data
    XFA = "xfa"  # an Adobe dynamic form: its scripts run as it opens
    ATTACHMENT = "attachment"  # files inside the file
    OPENS_BY_ITSELF = "opens_by_itself"  # sends data or opens an address when opened
    TOO_COMPLEX = "too_complex"  # over the limits of memory or time: not checked


class CheckerUnavailable(RuntimeError):
    """The child process cannot run: the interpreter, or pikepdf in it, is missing."""


# The child's exit status when it cannot import pikepdf: the installation's fault, not the file's.
_NO_PIKEPDF = 3


def check(data: bytes) -> Outcome:
    """Return what a child process with bounded memory and time found in ``data``.

    Raise ``CheckerUnavailable`` when the child cannot run at all, so that no file is
    refused for the installation's fault without anyone being told.
    """
    # The parent's module path goes to the child, which is isolated (-I: no PYTHONPATH, no
    # script directory): pikepdf is found wherever the parent found it.
    paths = [entry for entry in sys.path if entry and Path(entry).exists()]
    try:
        # A fixed command, the portal's interpreter on this file; the upload is only its input.
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-I", str(Path(__file__).resolve()), *paths],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome.TOO_COMPLEX
    except OSError as error:
        raise CheckerUnavailable(f"{sys.executable!r} cannot run: {error}") from error
    if done.returncode == _NO_PIKEPDF:
        raise CheckerUnavailable(done.stderr.decode("utf-8", "replace")[-500:])
    word = done.stdout.decode("ascii", "replace").strip()
    if done.returncode != 0 or word not in {outcome.value for outcome in Outcome}:
        # Killed at a limit (SIGXCPU, SIGKILL) or out of memory inside qpdf.
        logger.info(
            "PDF check stopped (exit %s): %s",
            done.returncode,
            done.stderr.decode("utf-8", "replace")[-300:].strip() or "no message",
        )
        return Outcome.TOO_COMPLEX
    return Outcome(word)


def inspect(data: bytes) -> Outcome:
    """Return what the PDF in ``data`` is: fit to keep, or why not. Runs in the child."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            count = pdf.Root.get("/Pages", {}).get("/Count", 0)
            # The page tree's own count, read before the tree is walked (it may lie: the
            # walk below is bounded by the process's limits anyway).
            if isinstance(count, int) and count > MAX_PAGES:
                return Outcome.TOO_MANY_PAGES
            pages = len(pdf.pages)
            if pages == 0:
                return Outcome.NO_PAGES
            if pages > MAX_PAGES:
                return Outcome.TOO_MANY_PAGES
            found = _active_content(pdf, pikepdf)
            # qpdf goes on past what it could not read, with a warning: a stream it could not
            # unpack within the memory limit makes the file too complex; anything else of the
            # structure left unread, damaged.
            warnings = pdf.get_warnings()
            if any("bad_alloc" in warning for warning in warnings):
                return Outcome.TOO_COMPLEX
            if any(sign in warning for warning in warnings for sign in _UNREAD):
                return Outcome.DAMAGED
            return found or Outcome.OK
    except pikepdf.PasswordError:
        return Outcome.ENCRYPTED
    except pikepdf.PdfError:
        return Outcome.DAMAGED
    except MemoryError:
        return Outcome.TOO_COMPLEX


def _is_automatic(action: Any, pikepdf: Any) -> bool:
    """Return whether ``action``, or one it chains with /Next, is one of AUTOMATIC_ACTIONS."""
    pending, seen = [action], set()
    while pending:
        current = pending.pop()
        if isinstance(current, pikepdf.Array):
            pending.extend(current)
            continue
        if not isinstance(current, pikepdf.Dictionary):
            continue
        key = current.objgen if current.is_indirect else id(current)
        if key in seen:
            continue  # a chain that loops back
        seen.add(key)
        if str(current.get("/S", "")) in AUTOMATIC_ACTIONS:
            return True
        if "/Next" in current:
            pending.append(current.get("/Next"))
    return False


def _active_content(pdf: Any, pikepdf: Any) -> Outcome | None:
    """Return what the PDF holds that a reader runs or opens by itself, or ``None``.

    Every object of the file is visited once, with the dictionaries and arrays
    written inside it; references are not followed, their objects being visited
    in their turn, so a cycle cannot loop. Attached files are refused, not
    opened: an attachment may itself be a PDF with scripts, or hold anything.
    """
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            return Outcome.SCRIPT
        if "/EmbeddedFiles" in names:
            return Outcome.ATTACHMENT
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        return Outcome.XFA
    if _is_automatic(pdf.Root.get("/OpenAction"), pikepdf):
        return Outcome.OPENS_BY_ITSELF
    pending = list(pdf.objects)
    while pending:
        obj = pending.pop()
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            if "/JS" in obj or str(obj.get("/S", "")) in SCRIPT_ACTIONS:
                return Outcome.SCRIPT
            if (
                "/EF" in obj
                or str(obj.get("/Type", "")) == "/EmbeddedFile"
                or str(obj.get("/Subtype", "")) == "/FileAttachment"
            ):
                return Outcome.ATTACHMENT
            triggers = obj.get("/AA")
            if isinstance(triggers, pikepdf.Dictionary) and any(
                _is_automatic(action, pikepdf) for action in triggers.values()
            ):
                return Outcome.OPENS_BY_ITSELF
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect
        )
    return None


def _main() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    sys.path.extend(entry for entry in sys.argv[1:] if entry not in sys.path)
    try:
        import pikepdf  # noqa: F401
    except ImportError as error:
        sys.stderr.write(f"pikepdf cannot be imported by {sys.executable}: {error}")
        sys.exit(_NO_PIKEPDF)
    sys.stdout.write(inspect(sys.stdin.buffer.read()).value)


if __name__ == "__main__":
    _main()
