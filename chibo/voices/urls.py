"""Every route of voices: recording, the raiser's list, the holder's inbox, one voice and what
its handlers do with it, a committee's summary of its subtree."""

from django.urls import path

from chibo.voices.views import handling, recording, summary

app_name = "voices"
urlpatterns = [
    path("cells/<uuid:cell>/record/", recording.record, name="record"),
    path("mine/", recording.mine, name="mine"),
    path("inbox/<uuid:org>/", handling.inbox, name="inbox"),
    path("<uuid:code>/", handling.voice, name="voice"),
    path("<uuid:code>/<str:action>/", handling.act, name="act"),
    path("summary/<uuid:org>/", summary.summary, name="summary"),
]
