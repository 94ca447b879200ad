"""Helpers shared by the test packages."""

import threading
import time

from django.db import connection


def race(calls):
    """Run the calls in threads released together; return what each returned or raised.

    Each thread uses its own database connection, so the calls race as real concurrent
    transactions would (tests using this need `django_db(transaction=True)`).
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the outcome is what the test inspects
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def response_bytes(response) -> bytes:
    """The body of a response, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def read_csv(response) -> list[list[str]]:
    """An exported CSV's rows, header first; the file must open in Excel as UTF-8 (BOM)."""
    import csv
    import io

    body = response_bytes(response)
    assert body.startswith(b"\xef\xbb\xbf"), "the CSV must start with the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    """An exported workbook's only sheet, opened back with openpyxl."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response_bytes(response)))
    assert len(book.worksheets) == 1
    return book.worksheets[0]


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def paused_race(monkeypatch, owner, name: str, first, second, *, pause_after: bool = False):
    """Run `first` until it reaches `owner.name` (before the call, or just after it with
    `pause_after`), hold it there while `second` starts and waits where it must, then let both
    finish; return what each returned or raised, as {"first": …, "second": …}.

    Both run in threads with their own database connections, as concurrent requests would
    (tests using this need `django_db(transaction=True)`).
    """
    reached, go_on = threading.Event(), threading.Event()
    original = getattr(owner, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs) if pause_after else None
        reached.set()
        go_on.wait(timeout=10)
        return result if pause_after else original(*args, **kwargs)

    monkeypatch.setattr(owner, name, paused)
    outcomes = {}

    def run(key, call, after_pause):
        try:
            if after_pause:
                reached.wait(timeout=10)
            outcomes[key] = call()
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[key] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", first, False)),
        threading.Thread(target=run, args=("second", second, True)),
    ]
    for thread in threads:
        thread.start()
    reached.wait(timeout=10)
    time.sleep(0.5)  # `second` has started and waits where it must
    go_on.set()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
