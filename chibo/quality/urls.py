from chibo.quality.views import dashboard, evaluation, formalism, reports, scoring

app_name = "quality"
# Each page of the quality of cell life declares its own routes next to its views.
urlpatterns = [
    *dashboard.urlpatterns,
    *scoring.urlpatterns,
    *formalism.urlpatterns,
    *evaluation.urlpatterns,
    *reports.urlpatterns,
]
