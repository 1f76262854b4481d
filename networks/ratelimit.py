"""Counters of events in a time window, in Django's cache: the portal's rate limits."""

from django.core.cache import cache


def count_in_window(key: str, window: int) -> int:
    """Count one more event under ``key`` and return the count in the current window.

    The window opens at the first event and lasts ``window`` seconds: ``incr``
    keeps the key's expiry (locmem, Redis and Memcached alike), so the counter
    resets when the window ends.
    """
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1
