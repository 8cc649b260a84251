"""The meeting's records as PDF: the minutes and the resolution, one version at a time, in the
cell's working language or the one asked for (`?language=km`)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from chibo.access.scope import get_meeting_for_user
from chibo.audit import log
from chibo.audit.models import Action
from chibo.lib.languages import document_language
from chibo.meetings import pdf
from chibo.meetings.models import Minutes, Resolution


def _version_for_user(
    request: HttpRequest, code: UUID, model: type[Minutes] | type[Resolution], version: int
) -> Minutes | Resolution:
    """One version of a record: published ones for whoever sees the meeting, drafts and
    approved-but-unpublished ones only for those who prepare it; 404 for the rest."""
    meeting, rights = get_meeting_for_user(request, code)
    versions = rights.records(model.objects.select_related("meeting__cell"))
    return get_object_or_404(versions, meeting=meeting, version=version)


def _pdf_response(
    request: HttpRequest, record: Minutes | Resolution, content: bytes, filename: str
) -> HttpResponse:
    log.record(
        request,
        Action.PDF_DOWNLOADED,
        record,
        organisation=record.meeting.cell_id,
        detail={"version": record.version},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def _suffix(version: int) -> str:
    return f"-v{version}" if version > 1 else ""


@require_GET
@login_required
@document_language
def minutes_pdf(
    request: HttpRequest, code: UUID, version: int, language: str | None
) -> HttpResponse:
    minutes = _version_for_user(request, code, Minutes, version)
    day = timezone.localdate(minutes.meeting.starts_at)
    return _pdf_response(
        request,
        minutes,
        pdf.minutes_pdf(minutes, language),
        f"bien-ban-{day:%Y-%m-%d}{_suffix(minutes.version)}.pdf",
    )


@require_GET
@login_required
@document_language
def resolution_pdf(
    request: HttpRequest, code: UUID, version: int, language: str | None
) -> HttpResponse:
    resolution = _version_for_user(request, code, Resolution, version)
    # "12-NQ/CB" has a slash; the file name keeps to ASCII letters, digits and dashes.
    number = f"{resolution.number}-NQ-CB" if resolution.number else "du-thao"
    return _pdf_response(
        request,
        resolution,
        pdf.resolution_pdf(resolution, language),
        f"nghi-quyet-{number}-{resolution.year}{_suffix(resolution.version)}.pdf",
    )
