"""The public programme pages' rate limits (core.throttle counts them), as on /register/: per
client address and per credential named (the business number applying, the tracking number
looked up), so a stranger's failures lock out only the numbers they tried."""

from core.throttle import Limit

# Sending the application form (valid or not): per client, and per business number.
SUBMIT = Limit("programme-submit", 20, 15 * 60)
SUBMIT_NUMBER = Limit("programme-submit-number", 10, 15 * 60)
# Failed status look-ups: per tracking number tried, and per client.
LOOKUP_FAILURES = Limit("programme-lookup", 5, 15 * 60)
LOOKUP_FAILURES_CLIENT = Limit("programme-lookup-client", 20, 15 * 60)
# The as-you-type business number check: per client.
NUMBER_CHECK = Limit("programme-check", 120, 10 * 60)
