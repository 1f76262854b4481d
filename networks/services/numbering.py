"""Gapless, unique numbers per calendar year (protocol numbers, decree numbers).

The counter row is locked (``SELECT ... FOR UPDATE``) in the caller's
transaction: the number is used only if that transaction commits, and a
concurrent caller waits for the lock, so numbers have no gaps and no
duplicates. The unique constraints on the numbered rows are the safety net.
"""

from django.db import transaction

from networks.constants import CounterKind
from networks.models import YearCounter


def number_next(*, kind: CounterKind, year: int) -> int:
    """Return the next number of ``kind`` for ``year``; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next must run inside the transaction that uses the number")
    YearCounter.objects.bulk_create([YearCounter(kind=kind, year=year)], ignore_conflicts=True)
    counter = YearCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
