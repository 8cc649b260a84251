"""Every route of voices: recording, the raiser's list, the holder's inbox, one voice and what
its handlers do with it, a committee's summary of its subtree; a cell's public door."""

from django.urls import path

from chibo.voices.views import consulting, door, handling, recording, summary

app_name = "voices"
urlpatterns = [
    path("cells/<uuid:cell>/record/", recording.record, name="record"),
    path("meetings/<uuid:code>/record/", recording.in_meeting, name="record_in_meeting"),
    path("mine/", recording.mine, name="mine"),
    path("inbox/<uuid:org>/", handling.inbox, name="inbox"),
    path("<uuid:code>/", handling.voice, name="voice"),
    path("<uuid:code>/<str:action>/", handling.act, name="act"),
    path("summary/<uuid:org>/", summary.summary, name="summary"),
    # The public door (no account) and its review by the cell's handlers.
    path("door/track/", door.track, name="door_track"),
    path("door/<uuid:cell>/", door.leave, name="door"),
    path("door/<uuid:cell>/thanks/", door.thanks, name="door_thanks"),
    path("door/<uuid:cell>/poster/", door.poster, name="door_poster"),
    path("door/<uuid:cell>/queue/", door.queue, name="door_queue"),
    path("door/<uuid:cell>/queue/<uuid:code>/<str:action>/", door.moderate, name="door_moderate"),
    # Consulting the people before a resolution (rule 16).
    path("consult/meeting/<uuid:code>/", consulting.open_for, name="consult_open"),
    path("consult/<uuid:code>/", consulting.consultation, name="consultation"),
    path("consult/<uuid:code>/stance/", consulting.stance, name="consult_stance"),
    path("consult/<uuid:code>/add/", consulting.add, name="consult_add"),
    path("consult/<uuid:code>/poster/", consulting.poster, name="consult_poster"),
    path(
        "consult/<uuid:code>/review/<uuid:statement>/<str:action>/",
        consulting.moderate,
        name="consult_moderate",
    ),
    path("door/<uuid:cell>/consult/<uuid:code>/", consulting.door, name="door_consult"),
]
