"""A small thread-safe least-recently-used memo, per store.

A worker computes the same view several times for one reader (the page's meta tags, then the view
callback) and once per reader in a workshop where everyone opens the facilitator's link. The memo
keeps the last few results per :class:`~atlas.store.Store` instance: a new build is a new store
object, so a memo never answers for another build's data. Shared between processes is the
response cache (callbacks/cache.py), not this.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LRU:
    """At most ``size`` entries; the least recently used goes first."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()  # outside the lock: two threads may compute the same key once each
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


_MEMOS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def for_object(owner: object, name: str, size: int) -> LRU:
    """The memo called ``name`` of ``owner`` (created on first use, gone with the owner)."""
    with _MEMOS_LOCK:
        memos = _MEMOS.setdefault(owner, {})
        if name not in memos:
            memos[name] = LRU(size)
        return memos[name]
