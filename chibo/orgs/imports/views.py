"""Importing members from the web: upload and dry run, confirm, then follow the progress."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import administrator_required
from chibo.orgs.imports.apply import check_file
from chibo.orgs.imports.forms import ImportForm
from chibo.orgs.imports.rows import COLUMNS
from chibo.orgs.imports.tasks import run_import
from chibo.orgs.imports.uploads import Upload


def _get_upload(id: UUID) -> Upload:
    if (upload := Upload.get(id)) is None:
        raise Http404
    return upload


@require_http_methods(["GET", "POST"])
@administrator_required
def new(request: HttpRequest) -> HttpResponse:
    # Bound on every POST, even an empty one, so a missing file is an error and not a blank form.
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_valid():
        upload = Upload.create(form.cleaned_data["file"])
        report = check_file(upload.path)
        file_problems = [problem.message for problem in report.problems if problem.row is None]
        if file_problems:
            upload.discard_file()
            for message in file_problems:
                form.add_error("file", message)
        else:
            upload.save_report("checked", report)
            if report.problems:
                upload.discard_file()  # nothing will be imported from it
            return redirect("imports:detail", id=upload.id)
    return render(request, "orgs/imports/new.html", {"form": form, "columns": COLUMNS})


@require_GET
@administrator_required
def detail(request: HttpRequest, id: UUID) -> HttpResponse:
    upload = _get_upload(id)
    state = upload.state
    context = {
        "upload": upload,
        "state": state,
        "rows": sum((state.get("counts") or {}).values()),
        "more": state.get("problem_count", 0) - len(state.get("problems", [])),
    }
    template = "orgs/imports/status.html" if request.htmx else "orgs/imports/detail.html"
    return render(request, template, context)


@require_POST
@administrator_required
def confirm(request: HttpRequest, id: UUID) -> HttpResponse:
    upload = _get_upload(id)
    if upload.state["status"] == "checked" and not upload.state["problem_count"]:
        conflicts = {conflict["card_number"] for conflict in upload.state.get("conflicts", [])}
        confirmed = conflicts & set(request.POST.getlist("overwrite"))
        if confirmed != conflicts:
            messages.error(
                request, _("Tick every row that changes another person, or fix the file.")
            )
            return redirect("imports:detail", id=upload.id)
        # Queued before enqueueing: an immediate backend runs the task inside enqueue().
        upload.save(status="queued", confirmed=sorted(confirmed))
        run_import.enqueue(str(upload.id), translation.get_language())
    return redirect("imports:detail", id=upload.id)
