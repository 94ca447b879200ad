"""The public registration pages' rate limits (core.throttle counts them).

Each guarded action is counted per client address and per credential it names (the tracking
number of a status look-up, the business number of a check or an application), normalised as the
pages read them. The credential's limit stops anyone guessing one merchant's phone digits from
many addresses; the address's limit, higher, stops one client trying many credentials; and
since a failure counts against the number tried, a stranger's failures lock out only the numbers
they tried, never every merchant behind the same proxy.
"""

from core.throttle import Limit

# Sending the application form (valid or not): per client, and per business number.
SUBMIT = Limit("submit", 20, 15 * 60)
SUBMIT_NUMBER = Limit("submit-number", 10, 15 * 60)
# Failed status look-ups: per tracking number tried, and per client.
LOOKUP_FAILURES = Limit("lookup", 5, 15 * 60)
LOOKUP_FAILURES_CLIENT = Limit("lookup-client", 20, 15 * 60)
# The as-you-type business number check: per client, and per complete number.
NUMBER_CHECK = Limit("check", 120, 10 * 60)
NUMBER_CHECK_NUMBER = Limit("check-number", 30, 10 * 60)
# Corrections sent from the status page: per client, and per application.
CORRECTIONS = Limit("correct", 10, 15 * 60)
