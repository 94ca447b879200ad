"""The clerks' admin for the registry, one module per concept."""

from . import affiliates, audit, districts, imports, offices, stores  # noqa: F401
