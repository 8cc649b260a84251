"""Server time of a member's home and of a busy meeting page, on an existing demo database.

    chibo demo --no-serve                      # once, into ./data (or DATABASE_URL)
    python bench/bench_meeting.py [--repeat 30]

Takes the biggest cell's upcoming meeting and, inside a transaction that is rolled back at the
end, brings it to the issue's figures: 12 agenda items, 100 comments, 5 documents, and a member
of that cell signed in. Prints the median and 95th percentile and the number of queries.
"""

import argparse
import os
import tempfile

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from timing import header, report  # noqa: E402

from chibo.meetings.models import AgendaItem, Comment, Document, Meeting  # noqa: E402
from chibo.orgs.models import Member, User  # noqa: E402


def busy_meeting() -> tuple[Meeting, Member]:
    meeting = (
        Meeting.objects.filter(status=Meeting.Status.PUBLISHED)
        .annotate(n=Count("cell__members"))
        .order_by("-n")
        .first()
    )
    members = list(meeting.cell.members.all()[:60])
    items = list(meeting.agenda_items.all())
    for position in range(len(items) + 1, 13):
        items.append(AgendaItem.objects.create(meeting=meeting, position=position, title="Khác"))
    existing = Comment.objects.filter(item__meeting=meeting).count()
    Comment.objects.bulk_create(
        Comment(item=items[i % 12], author=members[i % len(members)], body=f"Ý kiến {i}")
        for i in range(max(0, 100 - existing))
    )
    for i in range(5):
        doc = Document(
            item=items[i],
            name=f"Tài liệu {i}.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
        )
        doc.file.save(f"bench-{i}.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return meeting, members[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    settings.MEDIA_ROOT = tempfile.mkdtemp()
    with transaction.atomic():
        meeting, member = busy_meeting()
        member.user = User.objects.create(username="bench-member")
        member.save(update_fields=["user"])
        client = Client()
        client.force_login(member.user)
        print(f"{connection.vendor}: {meeting.cell.name}, {meeting.cell.members.count()} members")
        header()
        report(client, "member's home", "/", args.repeat)
        report(client, "meeting page", f"/meetings/{meeting.code}/", args.repeat)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
