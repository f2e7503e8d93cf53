"""The index being served, swapped for a rebuilt one without a restart.

`assistant index` or `assistant add` writes a new index beside a running server; the server notices
the new manifest, loads it in the background and swaps it in with one assignment. Requests already
running finish on the old index, and none waits for the load.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from assistant.answer import Answerer
from assistant.config import Settings
from assistant.index import StaleIndex, load, open_index

CHECK_SECONDS = 1.0


class Library:
    """Holds the current Answerer and replaces it when the saved index changes."""

    def __init__(self, settings: Settings, notify: Callable[[str], None] = lambda _: None) -> None:
        self.settings = settings
        self.notify = notify
        index = open_index(settings.corpus, settings.index, notify)
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
