"""What a notification says, in the language active when it is shown or mailed."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.guidance.models import Guidance, period_label
from chibo.library.models import StudyCampaign
from chibo.meetings.models import Meeting
from chibo.notify.models import Notification
from chibo.quality.models import Evaluation

Kind = Notification.Kind

SENTENCES = {
    Kind.PUBLISHED: gettext_lazy(
        "%(meeting)s of %(cell)s on %(when)s at %(place)s: the notice and documents are out."
    ),
    Kind.CHANGED: gettext_lazy(
        "The notice of the %(meeting)s of %(cell)s on %(when)s has changed: please read it again."
    ),
    Kind.REMINDER: gettext_lazy(
        "Coming soon: %(meeting)s of %(cell)s on %(when)s at %(place)s. "
        "Please say whether you will attend."
    ),
    Kind.NOTICE_DUE: gettext_lazy(
        "The notice of the %(meeting)s of %(cell)s on %(when)s is due by %(due)s (rule 5): "
        "publish it so members can study the documents."
    ),
    Kind.MINUTES_DUE: gettext_lazy(
        "The minutes of the %(meeting)s of %(cell)s on %(when)s are due."
    ),
    Kind.RECORDS: gettext_lazy(
        "The minutes and resolution of the %(meeting)s of %(cell)s on %(when)s are published."
    ),
    Kind.EVALUATION_DUE: gettext_lazy(
        "%(round)s: the self-assessment of %(subject)s is due by %(deadline)s."
    ),
    Kind.EVALUATION_COMMENT: gettext_lazy(
        "%(round)s: %(subject)s has been self-assessed; the cell's comment is awaited."
    ),
    Kind.EVALUATION_APPRAISE: gettext_lazy(
        "%(round)s: the cell has commented on %(subject)s; the committee's appraisal is awaited."
    ),
    Kind.EVALUATION_DECIDE: gettext_lazy(
        "%(round)s: the committee has appraised %(subject)s; "
        "the standing committee's decision is awaited."
    ),
    Kind.EVALUATION_DECIDED: gettext_lazy("%(round)s: %(subject)s is graded “%(grade)s”."),
    Kind.GUIDANCE: gettext_lazy(
        "%(committee)s has published its guidance for %(period)s: “%(title)s”."
    ),
    Kind.GUIDANCE_CHANGED: gettext_lazy(
        "%(committee)s has corrected its guidance for %(period)s (“%(title)s”): "
        "a point your cell took up has changed."
    ),
    Kind.STUDY_DUE: gettext_lazy(
        "Study %(number)s (“%(title)s”) by %(deadline)s: "
        "send your learning note and personal action plan."
    ),
    Kind.VOICE: gettext_lazy("The voice “%(text)s” is now %(state)s, with %(holder)s."),
    Kind.VOICE_OVERDUE: gettext_lazy(
        "The voice “%(text)s” from %(cell)s, held by %(holder)s, is overdue (rule 15)."
    ),
    Kind.VOICE_REVIEW: gettext_lazy(
        "A citizen left a voice at the public door of %(cell)s: “%(text)s”. "
        "Review it so that the cell hears it."
    ),
}


def when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def headline(notification: Notification) -> str:
    """One sentence saying what happened and to which meeting, evaluation or guidance.

    Needs `meeting__cell`; or `evaluation__round`, `__member` and `__organisation`; or
    `guidance__committee`, loaded."""
    sentence = SENTENCES.get(notification.kind)
    if notification.meeting is not None and sentence is not None:
        return capfirst(sentence % _facts(notification.meeting))
    if notification.evaluation is not None and sentence is not None:
        return capfirst(sentence % _evaluation_facts(notification.evaluation))
    if notification.guidance is not None and sentence is not None:
        return capfirst(sentence % _guidance_facts(notification.guidance))
    if notification.study is not None and sentence is not None:
        return capfirst(sentence % _study_facts(notification.study))
    if notification.voice is not None and sentence is not None:
        return capfirst(sentence % _voice_facts(notification.voice))
    return capfirst(notification.get_kind_display())


def subject(notification: Notification) -> str:
    """A mail subject: what happened, then which meeting or whose evaluation, so a list of
    mails reads well."""
    what = capfirst(notification.get_kind_display())
    meeting, evaluation = notification.meeting, notification.evaluation
    if meeting is not None:
        return _("%(what)s: %(meeting)s, %(cell)s, %(date)s") % {
            "what": what,
            **_facts(meeting),
            "date": formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT"),
        }
    if evaluation is not None:
        return _("%(what)s: %(subject)s, %(round)s") % {
            "what": what,
            **_evaluation_facts(evaluation),
        }
    if notification.guidance is not None:
        return _("%(what)s: %(committee)s, %(period)s") % {
            "what": what,
            **_guidance_facts(notification.guidance),
        }
    if notification.study is not None:
        return _("%(what)s: %(number)s, %(deadline)s") % {
            "what": what,
            **_study_facts(notification.study),
        }
    if notification.voice is not None:
        return _("%(what)s: %(cell)s") % {"what": what, **_voice_facts(notification.voice)}
    return what


def link(notification: Notification) -> str:
    """Where a notification leads: its meeting, evaluation or guidance, or else the list."""
    if notification.meeting_id is not None:
        return reverse("meetings:meeting", args=[notification.meeting.code])
    if notification.evaluation_id is not None:
        return reverse("quality:evaluation", args=[notification.evaluation.code])
    if notification.guidance_id is not None:
        return reverse("guidance:guidance", args=[notification.guidance.code])
    if notification.study_id is not None:
        return reverse("library:study", args=[notification.study.code])
    if notification.voice_id is not None:
        if notification.kind == Kind.VOICE_REVIEW:  # not in an inbox before it is accepted
            return reverse("voices:door_queue", args=[notification.voice.cell.code])
        return reverse("voices:voice", args=[notification.voice.code])
    return reverse("notify:list")


def worded(notifications: Iterable[Notification]) -> Iterable[Notification]:
    """The notifications, each given its `headline` and `link` to show (`with_subjects`)."""
    for notification in notifications:
        notification.headline = headline(notification)
        notification.link = link(notification)
    return notifications


def _facts(meeting: Meeting) -> dict[str, str]:
    return {
        "meeting": meeting.get_kind_display(),
        "cell": meeting.cell.name,
        "when": when(meeting.starts_at),
        "place": meeting.place,
        "due": when(meeting.notice_due),
    }


def _evaluation_facts(evaluation: Evaluation) -> dict[str, str]:
    return {
        "round": evaluation.round.name,
        "subject": evaluation.subject,
        "deadline": formats.date_format(evaluation.round.deadline, "DATE_FORMAT"),
        "grade": evaluation.get_grade_display(),
    }


def _guidance_facts(guidance: Guidance) -> dict[str, str]:
    return {
        "committee": guidance.committee.name,
        "period": period_label(guidance),
        "title": guidance.title,
    }


def _study_facts(study: StudyCampaign) -> dict[str, str]:
    return {
        "number": study.document.number,
        "title": study.document.title,
        "deadline": formats.date_format(study.deadline, "DATE_FORMAT"),
    }


def _voice_facts(voice) -> dict[str, str]:
    text = voice.text if len(voice.text) <= 60 else voice.text[:59] + "…"
    return {
        "text": text,
        "state": voice.get_state_display(),
        "holder": voice.holder.name,
        "cell": voice.cell.name,
    }


def site_url(path: str) -> str:
    """An absolute link for places with no request to build it from: e-mails."""
    return settings.CHIBO_SITE_URL.rstrip("/") + path
