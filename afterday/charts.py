"""Bar charts drawn on the server as SVG: no script, no outside library, nothing from another site.

Each chart is an image with a title and a description for screen readers, and the
page puts the same numbers in a table next to it. A suppressed count draws no bar
at all, because a bar's length would give the hidden number away.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from afterday.report_types import Cell

ROW = 30
LABEL_WIDTH = 270
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 120
BAR_COLOUR = "#1d4f91"  # 8.6:1 against white
TEXT_COLOUR = "#212529"
MAX_LABEL = 30


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(*, chart_id: str, title: str, description: str, rows: list[tuple[str, Cell]]) -> SafeString:
    largest = max((cell.value or 0 for _, cell in rows), default=0) or 1
    height = ROW * max(len(rows), 1) + 10
    parts = []
    for index, (label, cell) in enumerate(rows):
        y = index * ROW + 5
        length = 0 if cell.suppressed else max(round(BAR_WIDTH * cell.value / largest), 1 if cell.value else 0)
        parts.append(
            (
                LABEL_WIDTH - 8, y + 19, TEXT_COLOUR, _short(label),
                LABEL_WIDTH, y + 4, length, BAR_COLOUR,
                LABEL_WIDTH + length + 6, y + 19, TEXT_COLOUR, str(cell),
            )
        )  # fmt: skip
    body = format_html_join(
        "",
        '<text x="{}" y="{}" fill="{}" text-anchor="end" font-size="14">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="20" fill="{}"></rect>'
        '<text x="{}" y="{}" fill="{}" font-size="14">{}</text>',
        parts,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" viewBox="0 0 {} {}" '
        'width="{}" height="{}" aria-labelledby="{}-title {}-desc" font-family="system-ui, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, height, WIDTH, height, chart_id, chart_id, chart_id, title, chart_id, description, body,
    )  # fmt: skip
