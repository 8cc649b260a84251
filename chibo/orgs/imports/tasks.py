import logging
from uuid import UUID

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from chibo.orgs.imports.apply import Progress, import_file
from chibo.orgs.imports.uploads import Upload

logger = logging.getLogger(__name__)


@task()
def run_import(upload_id: str, language: str) -> dict | None:
    """Import a checked upload, keeping its state up to date for the progress page."""
    upload = Upload.get(UUID(upload_id))
    if upload is None or upload.state["status"] != "queued":
        return None  # purged, or already run by an earlier delivery of this task
    with translation.override(language):
        upload.save(status="running", done=0, total=0)
        try:
            confirmed = upload.state.get("confirmed", [])
            report = import_file(upload.path, _progress(upload), confirmed)
        except Exception:
            logger.exception("Import %s failed", upload.id)
            message = _("An unexpected error stopped the import; the server log has the details.")
            upload.save(status="failed", error=message)
            raise
        finally:
            upload.discard_file()
        # Problems now mean the database changed since the dry run (a cell removed, say).
        upload.save_report("done" if report.counts is not None else "failed", report)
    return report.counts


def _progress(upload: Upload) -> Progress:
    """Write the state at most once per percent: enough for a bar, cheap for the worker."""
    shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal shown
        percent = done * 100 // total
        if percent > shown:
            shown = percent
            upload.save(done=done, total=total)

    return progress
