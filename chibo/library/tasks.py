"""Background work of the library: extracting a file's text, so that an upload returns at once;
indexing for search what changed."""

from django.utils import timezone
from django_tasks import task

from chibo.library.extraction import extract
from chibo.library.index import indexing
from chibo.library.models import Document


@task()
def extract_text(document_id: int, sha256: str) -> bool:
    """Read the text of the document's file into `text`, or mark it as giving none. Skips a
    file replaced since it was queued (the newer one's task does it). Returns whether it found
    text."""
    document = Document.objects.filter(pk=document_id, sha256=sha256).first()
    if document is None or not document.file:
        return False
    with document.file.open("rb") as file:
        data = file.read()
    text = extract(data, document.content_type)
    Document.objects.filter(pk=document_id, sha256=sha256).update(
        text=text or "", no_text=text is None, extracted_at=timezone.now()
    )
    # Searchable at once, here in the background, rather than at the next drain.
    indexing.index("document", [document_id])
    return text is not None


@task()
def index_changes() -> int:
    """Index the records the database's triggers queued as changed (`chibo clock` and
    `chibo search drain` do the same). Returns how many queued changes it handled."""
    return indexing.drain()
