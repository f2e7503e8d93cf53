"""The collection of bulletins: adding and removing them, and serving the index without a restart.

`assistant index` or `assistant add` writes a new index beside a running server; the server notices
the new manifest, loads it in the background and swaps it in with one assignment. Requests already
running finish on the old index, and none waits for the load.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import shutil
from pathlib import Path

from assistant.answer import Answerer
from assistant.config import Settings
from assistant.formats import SUFFIXES, metadata_path
from assistant.index import StaleIndex, load, open_index
from assistant.ingest import Bulletin, IngestError, bulletin_id_for, corpus_files, read_bulletin

CHECK_SECONDS = 1.0


class Library:
    """Holds the current Answerer and replaces it when the saved index changes."""

    def __init__(self, settings: Settings, notify: Callable[[str], None] = lambda _: None) -> None:
        self.settings = settings
        self.notify = notify
        index = open_index(settings.corpus, settings.index, notify)
        index.warm()
        self._current = self._answerer_for(index)
        self._stamp = self._manifest_stamp()
        self._checked = time.monotonic()
        self._loading = threading.Lock()

    def _answerer_for(self, index) -> Answerer:
        return Answerer(index, self.settings.emergency_number, self.settings.top_k)

    def _manifest_stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.settings.index / "manifest.json").stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def answerer(self) -> Answerer:
        """The Answerer to use for this request (checking, at most once a second, for a newer index)."""
        now = time.monotonic()
        if now - self._checked >= CHECK_SECONDS:
            self._checked = now
            stamp = self._manifest_stamp()
            if stamp is not None and stamp != self._stamp and self._loading.acquire(blocking=False):
                threading.Thread(target=self._reload, args=(stamp,), daemon=True).start()
        return self._current

    def _reload(self, stamp: tuple[int, int]) -> None:
        """Load the new index and swap it in; keep serving the old one if it cannot be read yet."""
        try:
            index = load(self.settings.index)
            index.warm()  # before the swap, off the request path
            self._current = self._answerer_for(index)
            self._stamp = stamp
            self.notify(f"index: now serving {len(index.passages)} passages from {len(index.bulletins)} bulletin(s)")
        except StaleIndex as exc:
            self.notify(f"warning: new index not loaded yet ({exc})")
        finally:
            self._loading.release()

    def reload_now(self) -> None:
        """Load the saved index immediately (for tests and the CLI)."""
        stamp = self._manifest_stamp()
        if stamp is not None and self._loading.acquire():
            self._reload(stamp)


class BulletinError(Exception):
    """A bulletin that cannot be added or removed (the message says why; nothing was changed)."""


def add_bulletin(source: Path, corpus: Path, replace: bool = False) -> Bulletin:
    """Check that a file is a readable bulletin with at least one section, then copy it into the corpus."""
    if not source.is_file():
        raise BulletinError(f"no such file: {source}")
    if source.suffix.lower() not in SUFFIXES:
        raise BulletinError(f"{source.name}: not a bulletin format (use {', '.join(SUFFIXES)})")
    try:
        bulletin = read_bulletin(source)
    except IngestError as exc:
        raise BulletinError(str(exc)) from exc
    if not any(p.section or p.case_number for p in bulletin.passages):
        raise BulletinError(f"{source.name}: no sections or cases found; is this a learning bulletin?")
    corpus.mkdir(parents=True, exist_ok=True)
    clash = [p for p in corpus_files(corpus) if bulletin_id_for(p) == bulletin.id]
    if clash and not replace:
        raise BulletinError(f"{source.name}: a bulletin with id {bulletin.id} is already served "
                            f"({clash[0].name}); use --replace to replace it")
    for old in clash:
        old.unlink()
    target = corpus / source.name
    temporary = corpus / f".{source.name}.adding"
    shutil.copyfile(source, temporary)
    temporary.replace(target)  # appears whole, never half-copied, to a rebuild running beside us
    meta = metadata_path(source)
    if meta.is_file():
        shutil.copyfile(meta, metadata_path(target))
    return bulletin


def remove_bulletin(bulletin_id: str, corpus: Path) -> Bulletin:
    """Take a bulletin (and its metadata file) out of the corpus."""
    try:
        files = corpus_files(corpus)
    except IngestError as exc:
        raise BulletinError(str(exc)) from exc
    matches = [p for p in files if bulletin_id_for(p) == bulletin_id.strip()]
    if not matches:
        known = ", ".join(bulletin_id_for(p) for p in files) or "none"
        raise BulletinError(f"no bulletin with id {bulletin_id!r} (served: {known})")
    if len(files) == 1:
        raise BulletinError("that is the only bulletin; add another before removing it")
    path = matches[0]
    try:
        bulletin = read_bulletin(path)
    except IngestError:
        bulletin = None
    path.unlink()
    metadata_path(path).unlink(missing_ok=True)
    if bulletin is None:
        raise BulletinError(f"removed {path.name}, which could not be read")
    return bulletin
