"""Times are sent to PostgreSQL in UTC, whatever offset they arrived with.

Python accepts UTC offsets up to ±23:59:59, PostgreSQL up to ±15:59. A time typed into a list
filter, an admin lookup or a form with an offset such as +23:59 would be sent with it and fail
in the database as a server error, however the value reached the query. The same instant in
UTC is always accepted, so every connection sends aware times that way (psycopg's text
dumper, which Django's client-side cursors use; the binary one sends microseconds and needs no
help). A moment outside Python's calendar once in UTC (year 1 or 9999 with a large offset) is
sent as the calendar's first or last instant, which no stored time reaches.
"""

from datetime import UTC, datetime

from psycopg.types.datetime import DatetimeDumper


class UtcDatetimeDumper(DatetimeDumper):
    def dump(self, obj: datetime):
        if obj.tzinfo is not None and obj.utcoffset():
            try:
                obj = obj.astimezone(UTC)
            except OverflowError:
                obj = (datetime.min if obj.year == 1 else datetime.max).replace(tzinfo=UTC)
        return super().dump(obj)


def utc_times_on_connect(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: aware times go to PostgreSQL in UTC on this connection."""
    if connection.vendor == "postgresql":
        connection.connection.adapters.register_dumper(datetime, UtcDatetimeDumper)
