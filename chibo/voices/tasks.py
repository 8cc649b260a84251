"""Background work of voices: counting a large subtree's matters for its summary, so that its
committee reads the last count at once (decision 24); mailing a citizen the news of their voice."""

from urllib.parse import urlencode

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from chibo.notify.mail import HEADERS, Outgoing, send
from chibo.notify.wording import site_url
from chibo.orgs.models import Organisation
from chibo.voices import matters
from chibo.voices.models import Step

Kind = Step.Kind
# What the mail says happened, by the organisation that did it; the words that follow are the
# step's own (never the note passing it up, which is for the committee above).
NEWS = {
    Kind.ANSWERED: gettext_lazy("%(org)s answered your voice “%(text)s”:"),
    Kind.PASSED_UP: gettext_lazy(
        "%(org)s passed your voice “%(text)s” up to %(to)s, which can settle it."
    ),
    Kind.RESOLVED: gettext_lazy("%(org)s resolved your voice “%(text)s”:"),
    Kind.DECLINED: gettext_lazy("%(org)s declined your voice “%(text)s”, for this reason:"),
}


@task()
def count_matters(committee_id: int) -> None:
    committee = Organisation.objects.filter(pk=committee_id).first()
    if committee is not None:
        matters.count_in_background(committee, timezone.now())


@task()
def tell_citizen(step_id: int) -> int:
    """Mail the citizen who raised the voice of the step, if the step is news for them and they
    left an e-mail address. Safe to run twice: a step is mailed once. Returns the mails sent."""
    step = (
        Step.objects.select_related("voice__cell", "by_org", "to_org")
        .filter(pk=step_id, kind__in=Step.NEWS_FOR_THE_CITIZEN, mailed_at__isnull=True)
        .first()
    )
    if step is None or not step.voice.citizen_email:
        return 0
    sent = send([Outgoing(citizen_message(step), [])])
    if sent:
        Step.objects.filter(pk=step.pk).update(mailed_at=timezone.now())
    return sent


def citizen_message(step: Step) -> EmailMessage:
    """The news of one step for the citizen, in their language: what was done and the words
    meant for them, their tracking code and where to read every step. No member's name."""
    from chibo.voices import door  # the door's module imports the one that imports this

    voice = step.voice
    with translation.override(door.spoken(voice.language)):
        code = door.shown(voice.tracking_code)
        facts = {
            "org": step.by_org.name,
            "text": voice.text if len(voice.text) <= 60 else voice.text[:59] + "…",
            "to": step.to_org.name if step.to_org else "",
        }
        track = reverse("voices:door_track") + "?" + urlencode({"code": voice.tracking_code})
        context = {
            "headline": capfirst(NEWS[step.kind] % facts),
            "words": step.text if step.kind in Step.WORDS_FOR_THE_RAISER else "",
            "code": code,
            "url": site_url(track),
            "cell": voice.cell.name,
        }
        body = render_to_string("voices/mail/citizen.txt", context)
        title = _("Your voice %(code)s: %(what)s") % {"code": code, "what": step.get_kind_display()}
        return EmailMessage(subject=title, body=body, to=[voice.citizen_email], headers=HEADERS)
