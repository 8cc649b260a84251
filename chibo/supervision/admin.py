from django.contrib import admin

from chibo.orgs.admin import MovesPeople
from chibo.supervision.models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(MovesPeople):
    list_display = ["supervisor", "cell", "started_on", "ended_on"]
    list_select_related = ["supervisor", "cell"]
    autocomplete_fields = ["supervisor", "cell"]
    search_fields = ["supervisor__search_name", "cell__name"]
