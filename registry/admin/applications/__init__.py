"""Merchant applications (SPEC 2.5): the clerks' queue per office, the checks beside the
documents, and decisions singly and in bulk, each through one service.

`queue` holds the admin itself (the list, its search and columns, the change page, masked
contacts and the access log); `filters` the queue's filters; `documents` the uploaded documents,
opened only by staff of the office; `decisions` the decision views behind the change page's
buttons and the queue's bulk actions.
"""

from .queue import MerchantApplicationAdmin

__all__ = ["MerchantApplicationAdmin"]
