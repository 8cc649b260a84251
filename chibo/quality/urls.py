"""Every route of the quality of cell life, grouped by the view module that serves it."""

from django.urls import path, register_converter

from chibo.quality.exports import WRITERS
from chibo.quality.reports import KINDS
from chibo.quality.views import dashboard, evaluation, formalism, reports, scoring


class OneWordOf:
    """A segment of the path that is one of a few words, taken as it is."""

    regex: str

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class KindConverter(OneWordOf):
    regex = "|".join(KINDS)


class FormatConverter(OneWordOf):
    regex = "|".join(WRITERS)


register_converter(KindConverter, "report_kind")
register_converter(FormatConverter, "report_format")

app_name = "quality"
urlpatterns = [
    path("", dashboard.mine, name="mine"),
    path("<uuid:org>/", dashboard.dashboard, name="dashboard"),
    path("<uuid:org>/risks/", dashboard.risks, name="risks"),
    path("meetings/<uuid:code>/score/", scoring.score, name="score"),
    path("cells/<uuid:org>/formalism/", formalism.cell_formalism, name="formalism"),
    # Evaluating members and cells (rules 17–20).
    path("evaluations/", evaluation.mine, name="evaluations"),
    path("evaluations/open/<uuid:org>/", evaluation.open_view, name="open_round"),
    path("evaluations/rounds/<uuid:code>/", evaluation.round_view, name="round"),
    path("evaluations/rounds/<uuid:code>/<uuid:org>/", evaluation.round_list, name="round_list"),
    path("evaluations/<uuid:code>/", evaluation.evaluation_view, name="evaluation"),
    path("evaluations/<uuid:code>/<slug:step>/", evaluation.take, name="evaluation_step"),
    # Reports of a period, downloaded as PDF, Excel or CSV.
    path("<uuid:org>/reports/", reports.reports, name="reports"),
    path(
        "<uuid:org>/reports/<report_kind:kind>/<int:year>/<int:number>.<report_format:fmt>",
        reports.download,
        name="report",
    ),
]
