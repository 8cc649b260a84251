"""Studies launched through the library's own functions, for the study tests."""

from datetime import date

from chibo.library import studying
from chibo.library.models import Document, StudyCampaign
from chibo.library.tests.library_data import shelved
from chibo.orgs.models import Organisation


def launched(
    committee: Organisation,
    deadline: date,
    document: Document | None = None,
    parts: tuple[Organisation, ...] = (),
    today: date | None = None,
) -> StudyCampaign:
    document = document or shelved(number="57-NQ/TW")
    campaign = StudyCampaign(
        committee=committee, document=document, deadline=deadline, materials="Đọc toàn văn"
    )
    return studying.launch(campaign, parts, today or deadline)
