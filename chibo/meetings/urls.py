"""Every route of a meeting's life, grouped by the view module that serves it."""

from django.urls import path

from chibo.meetings.views import attending, holding, overview, planning, publishing, records

# The two kinds of record share their views; the route says which one.
MINUTES, RESOLUTION = {"name": "minutes"}, {"name": "resolution"}

app_name = "meetings"
urlpatterns = [
    # Planning: the secretary prepares the meeting and its agenda.
    path("cells/<uuid:cell>/new/", planning.plan, name="plan"),
    path("cells/<uuid:cell>/series/new/", planning.series, name="series"),
    path("<uuid:code>/edit/", planning.edit, name="edit"),
    path("<uuid:code>/delete/", planning.delete, name="delete"),
    path("<uuid:code>/agenda/", planning.agenda, name="agenda"),
    path("<uuid:code>/agreed/", planning.agreed, name="agreed"),
    path("<uuid:code>/agenda/<int:position>/", planning.item, name="agenda_item"),
    path("<uuid:code>/agenda/<int:position>/up/", planning.move, {"offset": -1}, name="agenda_up"),
    path(
        "<uuid:code>/agenda/<int:position>/down/", planning.move, {"offset": 1}, name="agenda_down"
    ),
    path("<uuid:code>/agenda/<int:position>/remove/", planning.remove, name="agenda_remove"),
    path("<uuid:code>/agenda/<int:position>/documents/", planning.upload, name="agenda_upload"),
    path(
        "<uuid:code>/documents/<uuid:document>/delete/",
        planning.delete_document,
        name="document_delete",
    ),
    # Publishing: the notice members read in advance.
    path("<uuid:code>/publish/", publishing.publish_meeting, name="publish"),
    path("<uuid:code>/notices/", publishing.notices, name="notices"),
    path("<uuid:code>/notices/<int:version>/", publishing.notice, name="notice"),
    # Holding: the meeting itself, its minutes, resolution and tasks.
    path("<uuid:code>/hold/", holding.hold, name="hold"),
    path("<uuid:code>/open/", holding.step, {"step": "open"}, name="open"),
    path("<uuid:code>/close/", holding.step, {"step": "close"}, name="close"),
    path("<uuid:code>/roll/<uuid:member>/", holding.mark, name="mark"),
    path("<uuid:code>/officers/", holding.officers, name="officers"),
    path("<uuid:code>/vote/", holding.vote, name="vote"),
    path("<uuid:code>/check-in/", holding.check_in, name="check_in"),
    path("<uuid:code>/minutes/", holding.minutes, name="minutes"),
    path("<uuid:code>/minutes/approve/", holding.minutes_approve, name="minutes_approve"),
    path("<uuid:code>/minutes/correct/", holding.correct, MINUTES, name="minutes_correct"),
    path(
        "<uuid:code>/minutes/<int:version>/",
        holding.record_version,
        MINUTES,
        name="minutes_version",
    ),
    path("<uuid:code>/resolution/", holding.resolution, name="resolution"),
    path("<uuid:code>/resolution/adopt/", holding.resolution_adopt, name="resolution_adopt"),
    path("<uuid:code>/resolution/correct/", holding.correct, RESOLUTION, name="resolution_correct"),
    path(
        "<uuid:code>/resolution/<int:version>/",
        holding.record_version,
        RESOLUTION,
        name="resolution_version",
    ),
    path("<uuid:code>/records/", holding.records, name="records"),
    path("<uuid:code>/records/publish/", holding.publish_records, name="publish_records"),
    path("tasks/", holding.my_tasks, name="my_tasks"),
    path("tasks/<uuid:code>/", holding.task, name="task"),
    # Records: the PDF of each version.
    path("<uuid:code>/minutes/<int:version>.pdf", records.minutes_pdf, name="minutes_pdf"),
    path("<uuid:code>/resolution/<int:version>.pdf", records.resolution_pdf, name="resolution_pdf"),
    # Overview: a committee's calendar of its cells' meetings.
    path("overview/<uuid:org>/", overview.calendar, name="calendar"),
    # Attending: members read, answer and comment.
    path("", attending.meeting_list, name="list"),
    path("cells/<uuid:cell>/", attending.cell_meetings, name="cell"),
    path("<uuid:code>/", attending.meeting, name="meeting"),
    path("<uuid:code>/answer/", attending.answer, name="answer"),
    path("<uuid:code>/items/<int:position>/comments/", attending.comments, name="comments"),
    path("comments/<uuid:code>/edit/", attending.comment_edit, name="comment_edit"),
    path("documents/<uuid:code>/", attending.document, name="document"),
]
