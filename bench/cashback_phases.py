"""Where a settlement's time goes: wall time inside each of its steps, for one run.

`Phases` wraps the steps of `cashback.settlement` (by name, for the duration of a `with` block)
and adds up the time spent inside each; what is left is the Python loop deciding the rows. The
wrappers cost a few hundred nanoseconds a row. A step that has been renamed is simply not
measured (its time shows up in the remainder), so the benchmark keeps running as the code moves.

On PostgreSQL the writes run on a worker thread while the main thread decides the next batch:
the main thread's steps are the time it waits for the database, and the worker's steps
(BACKGROUND) are listed after the remainder, overlapping it, not part of the sum.
"""

import time
from collections import Counter
from collections.abc import Callable

# (module of cashback.settlement, owner in it, attribute, label, is a generator)
STEPS = (
    ("run", None, "read_rows", "parse the CSV (Python)", True),
    ("staging", "Staging", "load", "load", False),
    ("staging", "Staging", "duplicates", "duplicate refs (SQL)", False),
    ("run", None, "store_standings", "store standings", False),
    ("staging", "Staging", "sort_pending", "sort the pending rows into a table (SQL)", False),
    ("staging", "Staging", "_wait", "wait for the worker (next batch, holdings)", False),
    ("staging", "Staging", "finish", "wait for the worker's last writes", False),
)
BACKGROUND = (
    ("staging", "Staging", "_fetch", "worker: fetch sorted batches (SQL)", False),
    ("staging", "Staging", "_write", "worker: payments + ledger (COPY decisions, INSERT)", False),
    ("staging", "Staging", "_write_holdings", "worker: customer weeks (COPY + upsert)", False),
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

        from cashback.settlement import run, staging

        modules = {"run": run, "staging": staging}
        for module, owner_name, attribute, label, generator in (*STEPS, *BACKGROUND):
            owner = getattr(modules[module], owner_name) if owner_name else modules[module]
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
        the parsing that feeds it, the Python decision loop as the remainder, then the worker's
        steps that overlapped it."""
        seconds = dict(self.seconds)
        background = [
            (label, seconds.pop(label)) for _m, _o, _a, label, _g in BACKGROUND if label in seconds
        ]
        parse = seconds.get("parse the CSV (Python)", 0.0)
        load = seconds.pop("load", 0.0)
        if load:
            seconds["COPY into the staging table"] = max(load - parse, 0.0)
        order = [
            "parse the CSV (Python)",
            "COPY into the staging table",
            *(label for _m, _o, _a, label, _g in STEPS[2:]),
            COMMIT,
        ]
        rows = [(label, seconds[label]) for label in order if label in seconds]
        rows.append(
            (
                "decide in Python (rules.assess/allot) and the rest",
                total - sum(value for _label, value in rows),
            )
        )
        return rows + background
