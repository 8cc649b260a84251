"""Every route of the library: its documents, bookmarks and notes, and the study of documents."""

from django.urls import path

from chibo.library.views import documents, search, studying

app_name = "library"
urlpatterns = [
    path("", documents.index, name="index"),
    path("new/", documents.new, name="new"),
    path("bookmarks/", documents.bookmarks, name="bookmarks"),
    # One search box over everything the viewer may see (the library owns the index).
    path("search/", search.results, name="search"),
    path("<uuid:code>/", documents.document, name="document"),
    path("<uuid:code>/edit/", documents.edit, name="edit"),
    path("<uuid:code>/file/", documents.download, name="download"),
    path("<uuid:code>/bookmark/", documents.bookmark, name="bookmark"),
    path("<uuid:code>/note/", documents.note, name="note"),
    # The study of documents: launched by a committee, studied by members, read by secretaries.
    path("<uuid:code>/study/<uuid:org>/", studying.launch, name="launch"),
    path("studies/", studying.mine, name="studies"),
    path("committees/<uuid:org>/studies/", studying.committee, name="committee_studies"),
    path("studies/<uuid:code>/", studying.study, name="study"),
    path("studies/<uuid:code>/studied/", studying.studied, name="studied"),
    path("studies/<uuid:code>/note/", studying.submit, name="submit"),
    path("studies/<uuid:code>/progress/", studying.progress, name="progress"),
    path("studies/<uuid:code>/cells/<uuid:cell>/", studying.cell, name="study_cell"),
    path("studies/<uuid:code>/cells/<uuid:cell>/session/", studying.session, name="session"),
    path("studies/<uuid:code>/notes/<uuid:note>/return/", studying.send_back, name="send_back"),
]
