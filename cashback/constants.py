"""Limits of what the cashback tables can hold."""

# The largest amount a bigint column stores; anything above is refused as input.
MAX_AMOUNT = 2**63 - 1
