"""Count the instructions of one decree rendering, the measure that does not move with the machine.

Wall time on a shared two-core machine moves by 15% from run to run, more
than most changes to a template are worth. Valgrind's callgrind counts the
instructions the CPU runs instead: the same count for the same code, data and
libraries, whatever else the machine is doing. Each case below is rendered
once to warm up (imports, font loading), then once under measurement, in a
process of its own under ``valgrind --tool=callgrind --instr-atstart=no``; a
tiny C shim (compiled here, from valgrind's ``callgrind.h``) switches the
counting on and off around that second rendering, so Django's start-up and
the warm-up are not counted.

The cases go through ``render_pdf``, as ``bench/decree.py`` does: the
one-paragraph document, the 25-member decree, and the same decree without
the criteria, without Annex A's members, and without either (what the
decree's fixed text costs on its own). Instructions are not seconds (C code
runs more of them per nanosecond than the Python interpreter), but their
ratios follow the time ratios within about 10% on the reference machine.

    .venv/bin/python bench/decree_instructions.py          # needs valgrind and gcc

It prints each count and its ratio to the one-paragraph document, and exits
non-zero only if a measurement fails.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ("paragraph", "decree", "decree without criteria", "decree without members", "fixed text")
SHIM = """#include <valgrind/callgrind.h>
void counting_on(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void counting_off(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS; }
"""
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def build_shim(directory: Path) -> Path:
    """Compile the counting switch into ``directory``; return the shared library's path."""
    source, library = directory / "shim.c", directory / "libshim.so"
    source.write_text(SHIM)
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library


def render_case(case: str, shim: str) -> None:
    """Render ``case`` twice, counting only the second rendering (run under callgrind)."""
    import ctypes
    import logging

    sys.path.insert(0, str(ROOT))
    sys.path.insert(1, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptp_portal.settings.test")
    import django

    django.setup()
    import decree as bench
    from django.test import override_settings

    from networks.documents import render_decree, render_pdf

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = bench.sample_decree(25)
    if case == "decree without criteria":
        document = dataclasses.replace(document, rules=())
    elif case == "decree without members":
        document = dataclasses.replace(document, members=())
    elif case == "fixed text":
        document = dataclasses.replace(document, rules=(), members=())

    def render() -> object:
        if case == "paragraph":
            return render_pdf(bench.PARAGRAPH_TEMPLATE, {"document": document})
        return render_decree(document)

    counting = ctypes.CDLL(shim)
    with override_settings(TEMPLATES=bench.paragraph_templates()):
        render()
        counting.counting_on()
        render()
        counting.counting_off()


def measure(case: str, shim: Path, directory: Path) -> int:
    """Return the instructions that rendering ``case`` once costs."""
    completed = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={directory / 'callgrind.%p'}",
            sys.executable,
            __file__,
            "--case",
            case,
            "--shim",
            str(shim),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    found = COLLECTED.search(completed.stderr)
    if completed.returncode != 0 or not found:
        raise RuntimeError(f"{case}: callgrind failed\n{completed.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    """Measure every case, two at a time, and print the counts and ratios."""
    missing = [tool for tool in ("valgrind", "gcc") if not shutil.which(tool)]
    if missing:
        print(f"Servono {' e '.join(missing)} (apt-get install valgrind gcc).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ptp-callgrind-") as name:
        directory = Path(name)
        shim = build_shim(directory)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            counts = dict(
                zip(
                    CASES, pool.map(lambda case: measure(case, shim, directory), CASES), strict=True
                )
            )
    paragraph = counts["paragraph"]
    for case, count in counts.items():
        print(f"{case:26s} {count / 1e6:8.1f} M instructions  {count / paragraph:5.2f} x paragraph")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--case" and sys.argv[3] == "--shim":
        render_case(sys.argv[2], sys.argv[4])
        sys.exit(0)
    sys.exit(main())
