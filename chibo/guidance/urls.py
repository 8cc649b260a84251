"""Every route of guidance: committees write and pass it on, cells take it up."""

from django.urls import path

from chibo.guidance.views import adopting, issuing, month, topics

app_name = "guidance"
urlpatterns = [
    # Issuing: a committee's guidance, from draft to publication, its corrections and pass-ons.
    path("committees/<uuid:org>/", issuing.committee, name="committee"),
    path("committees/<uuid:org>/new/", issuing.new, name="new"),
    path("<uuid:code>/", issuing.guidance, name="guidance"),
    path("<uuid:code>/edit/", issuing.edit, name="edit"),
    path("<uuid:code>/audience/", issuing.audience, name="audience"),
    path("<uuid:code>/points/<int:position>/", issuing.point, name="point"),
    path("<uuid:code>/points/<int:position>/remove/", issuing.remove_point, name="point_remove"),
    path("<uuid:code>/publish/", issuing.publish, name="publish"),
    path("<uuid:code>/correct/", issuing.correct, name="correct"),
    path("<uuid:code>/pass-on/<uuid:org>/", issuing.pass_on, name="pass_on"),
    # Adopting: the cell's month of guidance beside a meeting's agenda, and the committee's
    # table of what its cells did with it.
    path("<uuid:code>/adoption/", adopting.adoption, name="adoption"),
    path("meetings/<uuid:meeting>/", adopting.for_meeting, name="meeting"),
    path("meetings/<uuid:meeting>/adopt/<uuid:point>/", adopting.adopt, name="adopt"),
    path("meetings/<uuid:meeting>/leave-out/<uuid:point>/", adopting.leave_out, name="leave_out"),
    # The secretary's month: what to do next, most urgent first.
    path("cells/<uuid:cell>/month/", month.month, name="month"),
    # The thematic topic bank: topics for a quarter's thematic meeting, and the examples chosen.
    path("topics/<uuid:org>/", topics.bank, name="topics"),
    path("topics/<uuid:org>/new/", topics.new, name="topic_new"),
    path("topics/t/<uuid:code>/", topics.topic, name="topic"),
    path("topics/t/<uuid:code>/plan/<uuid:cell>/", topics.plan, name="topic_plan"),
    path("examples/<uuid:meeting>/", topics.example, name="example"),
    path("examples/<uuid:meeting>/mark/", topics.mark, name="example_mark"),
    path("examples/<uuid:meeting>/unmark/", topics.unmark, name="example_unmark"),
]
