"""The public registration pages' rate limits (core.throttle counts them)."""

from core.throttle import Limit

# Sending the application form (valid or not), per client.
SUBMIT = Limit("submit", 20, 15 * 60)
# Failed status look-ups, per client and per tracking number tried.
LOOKUP_FAILURES = Limit("lookup", 5, 15 * 60)
# The as-you-type business number check, per client.
NUMBER_CHECK = Limit("check", 120, 10 * 60)
# Corrections sent from the status page, per client.
CORRECTIONS = Limit("correct", 10, 15 * 60)
