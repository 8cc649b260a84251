"""Reports of an organisation for a month, a quarter or a year: a page to choose one, and its
download as PDF, XLSX or CSV. Who may see the dashboard may download its reports (a cell's
too); each download goes to the audit log (rule 21: exports are logged)."""

from urllib.parse import quote
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from chibo.access.scope import get_organisation_for_user
from chibo.audit.log import record
from chibo.audit.models import Action
from chibo.lib import pdf
from chibo.lib.languages import document_language
from chibo.lib.text import fold
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.quality.exports import WRITERS
from chibo.quality.reports import FIRST_YEAR, KINDS, Period, build, latest, period_of

FORMATS = {"pdf": "PDF", "xlsx": "Excel (XLSX)", "csv": "CSV"}
TITLES = {
    "month": gettext_lazy("Monthly report"),
    "quarter": gettext_lazy("Quarterly report"),
    "year": gettext_lazy("Yearly report"),
}


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of report"), choices=[(kind, kind) for kind in KINDS]
    )
    # Bounded in `clean`, in the words of `period_of`, before any date is made of them.
    year = forms.IntegerField(label=gettext_lazy("Year"))
    number = forms.IntegerField(label=gettext_lazy("Month or quarter"))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=list(FORMATS.items()))

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            self.period = period_of(
                data["kind"], data["year"], data["number"], timezone.localdate()
            )
        return data


def _organisation(request: HttpRequest, code: UUID) -> Organisation:
    """As the dashboard: 404 out of reach, 403 for those who see it but not its quality."""
    organisation, _can_manage = get_organisation_for_user(request, code, may="see_quality")
    return organisation


def _url(org: Organisation, period: Period, fmt: str) -> str:
    return reverse("quality:report", args=[org.code, period.kind, period.year, period.number, fmt])


def _choose(request: HttpRequest, org: Organisation, form: ReportForm) -> HttpResponse:
    """The page to choose a report, the latest of each kind a link away; 400 with the reasons
    when what was asked for cannot be made."""
    today = timezone.localdate()
    here = translation.get_language()
    choices = []
    for kind, title in TITLES.items():
        period = latest(kind, today)
        links = [(label, _url(org, period, fmt)) for fmt, label in FORMATS.items()]
        if here != org.language:
            links.insert(1, (_("PDF in your language"), f"{links[0][1]}?language={here}"))
        numbers = range(1, 12 // KINDS[kind] + 1) if KINDS[kind] < 12 else None
        choices.append(
            {"kind": kind, "title": title, "latest": period, "links": links, "numbers": numbers}
        )
    context = {
        "org": org,
        "form": form,
        "choices": choices,
        "formats": FORMATS,
        "first_year": FIRST_YEAR,
        "this_year": today.year,
    }
    return render(
        request, "quality/reports/index.html", context, status=400 if form.errors else 200
    )


@require_GET
@login_required
def reports(request: HttpRequest, org: UUID) -> HttpResponse:
    organisation = _organisation(request, org)
    form = ReportForm(request.GET or None)
    if form.is_valid():
        return redirect(_url(organisation, form.period, form.cleaned_data["format"]))
    return _choose(request, organisation, form)


def _attachment(org: Organisation, period: Period, fmt: str) -> str:
    """The file's name in the user's language, and in ASCII for clients that know no better."""
    stem = f"{pgettext('file name', 'Report')} {org.name} {period.slug}"
    return (
        f'attachment; filename="{slugify(fold(stem))}.{fmt}"; '
        f"filename*=UTF-8''{quote(f'{stem}.{fmt}', safe='')}"
    )


@require_GET
@login_required
@document_language
def download(
    request: HttpRequest,
    org: UUID,
    kind: str,
    year: int,
    number: int,
    fmt: str,
    language: str | None,
) -> HttpResponse:
    organisation = _organisation(request, org)
    form = ReportForm({"kind": kind, "year": year, "number": number, "format": fmt})
    if not form.is_valid():
        return _choose(request, organisation, form)
    today = timezone.localdate()
    write, content_type = WRITERS[fmt]

    def make() -> bytes:
        return write(build(organisation, form.period, today))

    # A PDF takes seconds to typeset: made once per state of the subtree's indicators. It is
    # official: in the organisation's working language, unless the reader asks for theirs.
    if fmt == "pdf":
        drawn_from = ("report", organisation.pk, rollup.version(organisation), form.period.slug)
        with translation.override(language or organisation.language):
            content = pdf.kept((*drawn_from, today), make)
    else:
        content = make()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = _attachment(organisation, form.period, fmt)
    detail = {"format": fmt, "period": form.period.slug}
    record(request, Action.REPORT_EXPORTED, organisation, detail=detail)
    return response
