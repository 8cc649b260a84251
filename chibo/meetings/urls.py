from chibo.meetings.views import attending, holding, overview, planning, publishing, records

app_name = "meetings"
# Each part of a meeting's life declares its own routes next to its views.
urlpatterns = [
    *planning.urlpatterns,
    *publishing.urlpatterns,
    *holding.urlpatterns,
    *records.urlpatterns,
    *overview.urlpatterns,
    *attending.urlpatterns,
]
