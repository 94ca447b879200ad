"""Filled in by the change that builds this part of the admin."""
