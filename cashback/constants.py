"""Limits of what the cashback tables can hold."""

# The largest amount a bigint column stores; anything above is refused as input.
MAX_AMOUNT = 2**63 - 1

# The rows a week's tally is spread over, so that concurrent payments rarely queue for one.
TALLY_SLOTS = 16
