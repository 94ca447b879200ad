"""Where a settlement's time goes: wall time inside each of its steps, for one run.

`Phases` wraps the steps of `cashback.settlement` (by name, for the duration of a `with` block)
and adds up the time spent inside each; what is left is the Python loop deciding the rows. The
wrappers cost a few hundred nanoseconds a row. A step that has been renamed is simply not
measured (its time shows up in the remainder), so the benchmark keeps running as the code moves.
"""

import time
from collections import Counter
from collections.abc import Callable

# (owner in cashback.settlement, attribute, label, is a generator)
STEPS = (
    (None, "read_rows", "parse the CSV (Python)", True),
    ("_PostgresStaging", "load", "load", False),
    ("_PostgresStaging", "duplicates", "duplicate refs (SQL)", False),
    ("_PostgresStaging", "pending_count", "count pending (SQL)", False),
    (None, "store_standings", "store standings (3 queries)", False),
    ("_PostgresStaging", "sorted_pending", "sorted fetch (SQL, server cursor)", True),
    ("_PostgresStaging", "write", "COPY out payments + ledger", False),
    ("_PostgresStaging", "write_holdings", "customer weeks (COPY + upsert)", False),
)
COMMIT = "COMMIT (deferred foreign-key checks)"


class Phases:
    def __init__(self):
        self.seconds: Counter = Counter()
        self._undo: list[Callable[[], None]] = []

    def _timed(self, function, label: str, generator: bool):
        seconds = self.seconds

        if generator:

            def wrapped(*args, **kwargs):
                inner = function(*args, **kwargs)
                while True:
                    began = time.perf_counter()
                    try:
                        item = next(inner)
                    except StopIteration:
                        seconds[label] += time.perf_counter() - began
                        return
                    seconds[label] += time.perf_counter() - began
                    yield item

        else:

            def wrapped(*args, **kwargs):
                began = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    seconds[label] += time.perf_counter() - began

        return wrapped

    def __enter__(self):
        from django.db import connections

        from cashback import settlement

        for owner_name, attribute, label, generator in STEPS:
            owner = getattr(settlement, owner_name) if owner_name else settlement
            original = getattr(owner, attribute, None)
            if original is None:
                continue
            setattr(owner, attribute, self._timed(original, label, generator))
            self._undo.append(lambda o=owner, a=attribute, f=original: setattr(o, a, f))
        wrapper = connections["default"]
        wrapper.commit = self._timed(wrapper.commit, COMMIT, False)
        self._undo.append(lambda: delattr(wrapper, "commit"))
        return self

    def __exit__(self, *exc):
        for undo in reversed(self._undo):
            undo()

    def breakdown(self, total: float) -> list[tuple[str, float]]:
        """(step, seconds) in the order they run, the COPY into the staging table split from
        the parsing that feeds it, and the Python decision loop as the remainder."""
        seconds = dict(self.seconds)
        parse = seconds.get("parse the CSV (Python)", 0.0)
        load = seconds.pop("load", 0.0)
        if load:
            seconds["COPY into the staging table"] = max(load - parse, 0.0)
        order = [
            "parse the CSV (Python)",
            "COPY into the staging table",
            *(label for _o, _a, label, _g in STEPS[2:]),
            COMMIT,
        ]
        rows = [(label, seconds[label]) for label in order if label in seconds]
        rows.append(("decide in Python (rules.assess/allot) and the rest", total - sum(
            value for _label, value in rows
        )))  # fmt: skip
        return rows
