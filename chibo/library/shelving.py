"""Putting documents on the library's shelves: adding one with its file, changing it, replacing
its file. The text of a new file is extracted in the background (`tasks.extract_text`)."""

from functools import partial
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from chibo.library.models import Document
from chibo.meetings import documents as files
from chibo.meetings.documents import Checked

SUFFIXES = {".pdf": files.PDF, ".docx": files.DOCX}


@transaction.atomic
def add(document: Document, file: UploadedFile | None, checked: Checked | None) -> Document:
    """Save a new document (its fields set, validated) and its file, if any."""
    document.save()
    if file is not None and checked is not None:
        attach(document, file, checked)
    return document


@transaction.atomic
def attach(document: Document, file: UploadedFile, checked: Checked) -> None:
    """Store a checked file for the document under a random name, replacing the one it had;
    its text is read again once this commits."""
    old = document.file.name if document.file else None
    document.file.save(
        f"{document.code}-{checked.sha256[:8]}{Path(checked.name).suffix.lower()}", file, save=False
    )
    document.file_name = checked.name
    document.content_type = checked.content_type
    document.size = checked.size
    document.sha256 = checked.sha256
    document.text, document.no_text, document.extracted_at = "", False, None
    document.save(
        update_fields=[
            "file",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "text",
            "no_text",
            "extracted_at",
            "updated_at",
        ]
    )
    if old and old != document.file.name:
        files.discard([old])
    from chibo.library.tasks import extract_text  # the task module imports the models

    transaction.on_commit(partial(extract_text.enqueue, document.pk, checked.sha256))
