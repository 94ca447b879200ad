from rest_framework.pagination import PageNumberPagination


class CursorFriendlyPagination(PageNumberPagination):
    """Page-number pagination with a client-chosen page size, capped to keep responses fast."""

    page_size_query_param = "page_size"
    max_page_size = 500
