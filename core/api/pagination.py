"""Page-number pagination that stays fast on very large lists.

Counting every row of a list of a hundred thousand stores costs more than fetching the page.
Up to `exact_limit` rows the count is exact (the count stops there, so it never scans further);
beyond that the planner's estimate is used instead, the response says so with
`count_is_estimate`, and whether there is a next page is decided by fetching one row more than
the page holds, so no page of the real list becomes unreachable through a low estimate.
"""

import json
import math

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.numbers import digits_ascii_check


class EstimatedPage(Page):
    """A page of a list whose length is only estimated: it knows itself whether more follow."""

    def __init__(self, object_list, number, paginator, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


class EstimatingPaginator(Paginator):
    """Exact counts up to `exact_limit` rows, the planner's estimate beyond."""

    exact_limit = 50_000

    count_is_estimate = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        bounded = queryset.order_by().values("pk")[: self.exact_limit + 1].count()
        if bounded <= self.exact_limit:
            return bounded
        self.count_is_estimate = True
        return max(self.exact_limit + 1, self._planner_estimate(queryset))

    @staticmethod
    def _planner_estimate(queryset: QuerySet) -> int:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def validate_number(self, number):
        self.count  # noqa: B018 - counting decides whether the count is an estimate
        if not self.count_is_estimate:
            return super().validate_number(number)
        # Past the exact limit the last page is not known: only the lower bound is checked.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(_("That page number is not an integer")) from exc
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.count_is_estimate:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return EstimatedPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    @property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, math.ceil(self.count / self.per_page))


class CursorFriendlyPagination(PageNumberPagination):
    """Page-number pagination with a client-chosen page size, capped to keep responses fast.

    The body is `{count, count_is_estimate, next, previous, results}`; `count` is exact unless
    `count_is_estimate` is true (lists of more than 50,000 rows).
    """

    django_paginator_class = EstimatingPaginator
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        self._digits_checked(request, self.page_query_param)
        return super().get_page_number(request, paginator)

    def get_page_size(self, request):
        self._digits_checked(request, self.page_size_query_param)
        return super().get_page_size(request)

    @staticmethod
    def _digits_checked(request, param: str) -> None:
        """`?page=٣` is refused with a 400 naming the parameter, not read as page 3."""
        try:
            digits_ascii_check(request.query_params.get(param, ""))
        except DjangoValidationError as exc:
            raise ValidationError({param: exc.messages}) from exc

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        base["properties"] = {
            "count": base["properties"]["count"],
            "count_is_estimate": {
                "type": "boolean",
                "description": str(
                    _(
                        "True when the list is longer than 50,000 rows and `count` is the "
                        "database's estimate rather than an exact count."
                    )
                ),
                "example": False,
            },
            **{k: v for k, v in base["properties"].items() if k != "count"},
        }
        base["required"] = ["count", "count_is_estimate", "results"]
        return base
