from chibo.meetings.views import attending, planning, publishing

app_name = "meetings"
# Each part of a meeting's life declares its own routes next to its views.
urlpatterns = [*planning.urlpatterns, *publishing.urlpatterns, *attending.urlpatterns]
