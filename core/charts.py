"""Charts drawn on the server as SVG: no script, no font or file from elsewhere, print-ready.

Each chart names itself (`<title>`, `<desc>`) for screen readers, and each mark that stands for
a list is a link to it with a spoken label; the page puts the same numbers in a table beside
the chart. Colours keep text readable (4.5:1 or better) on every fill they sit on.
"""

from dataclasses import dataclass
from itertools import count

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# A sequential blue scale, light to dark; text on the last two is white.
SHADES = ("#e8f1fb", "#c4dbf3", "#8fbbe6", "#4a8fd1", "#1f63a8", "#0b3d70")
TEXT_DARK, TEXT_LIGHT = "#1b1f24", "#ffffff"
BAR, BAR_MUTED, MARK = "#1f63a8", "#c4dbf3", "#b3261e"
_ids = count(1)


@dataclass(frozen=True)
class Chart:
    """A drawn chart: it renders as its SVG; its title and description can be shown beside it."""

    title: str
    description: str
    svg: SafeString

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


@dataclass(frozen=True)
class Mark:
    """One bar or tile: its label, its value, the value as the reader should read it, and the
    list it stands for (or none)."""

    label: str
    value: int
    shown: str = ""
    href: str = ""
    secondary: int | None = None  # a second value drawn behind the first (e.g. the budget)
    flag: str = ""  # a short note drawn beside the mark (e.g. when a budget ran out)


def _open(width: int, height: int, title: str, description: str) -> tuple[str, str]:
    ident = f"chart-{next(_ids)}"
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="group" aria-labelledby="{}-t {}-d" class="chart" '
        'font-family="system-ui, sans-serif" font-size="13">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        width,
        height,
        ident,
        ident,
        ident,
        title,
        ident,
        description,
    )
    return head, "</svg>"


def _linked(mark: Mark, body: str) -> str:
    if not mark.href:
        return body
    label = f"{mark.label}: {mark.shown or mark.value}"
    return format_html('<a href="{}" aria-label="{}">{}</a>', mark.href, label, mark_safe(body))


def bar_chart(*, title: str, description: str, marks: list[Mark], width: int = 640) -> Chart:
    """Horizontal bars, one row per mark, largest scale set by the largest value."""
    row, top, label_width = 26, 8, 190
    height = top * 2 + row * max(len(marks), 1)
    scale = max([m.value for m in marks] + [m.secondary or 0 for m in marks] + [1])
    # The figure is written after the longer bar; a pair of figures needs more room.
    paired = any(m.secondary is not None for m in marks)
    room = width - label_width - (200 if paired else 110)
    head, tail = _open(width, height, title, description)
    parts = [head]
    for index, mark in enumerate(marks):
        y = top + index * row
        length = round(room * mark.value / scale)
        behind = round(room * (mark.secondary or 0) / scale)
        body = format_html(
            '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
            label_width - 8,
            y + 17,
            TEXT_DARK,
            _clip(mark.label, 16),
        )
        if mark.secondary is not None:
            body += format_html(
                '<rect x="{}" y="{}" width="{}" height="18" fill="{}"/>',
                label_width,
                y + 4,
                behind,
                BAR_MUTED,
            )
        body += format_html(
            '<rect x="{}" y="{}" width="{}" height="18" fill="{}"/>'
            '<text x="{}" y="{}" fill="{}">{}</text>',
            label_width,
            y + 4,
            max(length, 1),
            BAR,
            label_width + max(length, behind, 1) + 6,
            y + 17,
            TEXT_DARK,
            mark.shown or f"{mark.value:,}",
        )
        parts.append(_linked(mark, body))
    parts.append(tail)
    return Chart(str(title), str(description), mark_safe("".join(parts)))


def column_chart(
    *, title: str, description: str, marks: list[Mark], width: int = 640, height: int = 220
) -> Chart:
    """Vertical columns in order (weeks), each with its label below; a mark's `secondary` value
    is drawn as a paler column behind it, and its `flag` as a red tick above it."""
    bottom, top, left = 34, 14, 8
    slot = (width - left * 2) / max(len(marks), 1)
    column = max(min(slot * 0.7, 40), 4)
    scale = max([m.value for m in marks] + [m.secondary or 0 for m in marks] + [1])
    room = height - bottom - top
    head, tail = _open(width, height, title, description)
    parts = [head]
    for index, mark in enumerate(marks):
        x = left + slot * index + (slot - column) / 2
        body = ""
        if mark.secondary is not None:
            tall = room * mark.secondary / scale
            body += format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                _r(x),
                _r(top + room - tall),
                _r(column),
                _r(tall),
                BAR_MUTED,
            )
        tall = room * mark.value / scale
        body += format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
            _r(x),
            _r(top + room - tall),
            _r(column),
            _r(max(tall, 1)),
            BAR,
        )
        if mark.flag:
            body += format_html(
                '<path d="M{} {}h{}" stroke="{}" stroke-width="3"/>',
                _r(x),
                _r(top + room - (room * (mark.secondary or mark.value) / scale) - 4),
                _r(column),
                MARK,
            )
        body += format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
            _r(x + column / 2),
            height - bottom + 16,
            TEXT_DARK,
            _clip(mark.label, 6),
        )
        parts.append(_linked(mark, body))
    parts.append(
        format_html(
            '<path d="M{} {}H{}" stroke="{}" stroke-width="1"/>',
            left,
            top + room,
            width - left,
            TEXT_DARK,
        )
    )
    parts.append(tail)
    return Chart(str(title), str(description), mark_safe("".join(parts)))


def tile_grid(
    *, title: str, description: str, marks: list[Mark], shade: list[int], columns: int = 6
) -> Chart:
    """A schematic map: one tile per mark in rows of `columns`, shaded by `shade` (0 lightest to
    5 darkest, one per mark), showing its label and its value as read."""
    tile, gap = 104, 6
    rows = max((len(marks) + columns - 1) // columns, 1)
    width = columns * (tile + gap) + gap
    height = rows * (tile // 2 + 12 + gap) + gap
    head, tail = _open(width, height, title, description)
    parts = [head]
    for index, (mark, level) in enumerate(zip(marks, shade, strict=True)):
        x = gap + (index % columns) * (tile + gap)
        y = gap + (index // columns) * (tile // 2 + 12 + gap)
        fill = SHADES[max(0, min(level, len(SHADES) - 1))]
        ink = TEXT_LIGHT if level >= len(SHADES) - 2 else TEXT_DARK
        body = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="#5b6775"/>'
            '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-weight="600">{}</text>'
            '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
            x,
            y,
            tile,
            tile // 2 + 12,
            fill,
            x + tile // 2,
            y + 24,
            ink,
            _clip(mark.label, 8),
            x + tile // 2,
            y + 46,
            ink,
            mark.shown or f"{mark.value:,}",
        )
        parts.append(_linked(mark, body))
    parts.append(tail)
    return Chart(str(title), str(description), mark_safe("".join(parts)))


def shade_levels(values: list[int], *, low: int, high: int) -> list[int]:
    """Each value's shade, 0 (at `low` or below) to 5 (at `high` or above)."""
    steps = len(SHADES) - 1
    if high <= low:
        return [0 for _ in values]
    return [max(0, min(steps, round(steps * (v - low) / (high - low)))) for v in values]


def _r(value: float) -> str:
    return f"{value:.1f}"


def _clip(text: str, length: int) -> str:
    text = str(text)
    return escape(text if len(text) <= length else text[: length - 1] + "…")
