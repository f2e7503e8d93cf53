"""Search the files a test may have caused to be written for text that must not be there."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
# The harness that runs these sessions keeps its own job output here; it is not the project's.
SKIP_NAMES = ("bash_jobs",)


def files_containing(roots: Iterable[Path], needles: Iterable[str], since: float | None = None,
                     exclude: Iterable[Path] = ()) -> list[str]:
    """"path: needle" for every regular file under roots (changed at or after `since`) that holds a needle.

    Needles are searched as UTF-8 and as UTF-16 (either byte order) bytes.
    """
    patterns = []
    for needle in needles:
        patterns += [(needle, needle.encode("utf-8")), (needle, needle.encode("utf-16-le")),
                     (needle, needle.encode("utf-16-be"))]
    excluded = {os.path.realpath(p) for p in exclude}
    hits = []
    for root in roots:
        for folder, dirs, names in os.walk(root, followlinks=False):
            dirs[:] = [d for d in dirs if not d.startswith(SKIP_NAMES)
                       and os.path.realpath(os.path.join(folder, d)) not in excluded]
            for name in names:
                path = os.path.join(folder, name)
                if os.path.realpath(path) in excluded:
                    continue
                try:
                    info = os.lstat(path)
                    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
                        continue
                    if since is not None and max(info.st_mtime, info.st_ctime) < since:
                        continue
                    with open(path, "rb") as handle:
                        data = handle.read()
                except OSError:
                    continue
                hits += [f"{path}: {needle!r}" for needle, raw in patterns if raw in data]
    return sorted(set(hits))
