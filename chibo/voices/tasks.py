"""Background work of voices: counting a large subtree's matters for its summary, so that its
committee reads the last count at once (decision 24)."""

from django.utils import timezone
from django_tasks import task

from chibo.orgs.models import Organisation
from chibo.voices import matters


@task()
def count_matters(committee_id: int) -> None:
    committee = Organisation.objects.filter(pk=committee_id).first()
    if committee is not None:
        matters.count_in_background(committee, timezone.now())
