"""Helpers shared by the test packages."""

import threading

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
