"""An evaluation round as the tests open it: the year 2025 of a committee's subtree."""

from datetime import date

from chibo.quality.models import EvaluationRound

YEAR = {
    "title": "Đánh giá, xếp loại năm 2025",
    "period": EvaluationRound.Period.YEAR,
    "year": 2025,
    "quarter": None,
    "starts_on": date(2025, 1, 1),
    "ends_on": date(2025, 12, 31),
    "deadline": date(2025, 12, 20),
}
