"""The back office: administrators manage the tree, levels, people and positions here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from chibo.audit.log import record
from chibo.audit.models import Action
from chibo.orgs.models import (
    Level,
    Member,
    Membership,
    Organisation,
    Position,
    User,
    seats_changed,
)

admin.site.site_header = _("chibo administration")
admin.site.site_title = _("chibo administration")
admin.site.index_title = _("Organisations, people and positions")

admin.site.register(User, UserAdmin)


class MovesPeople(admin.ModelAdmin):
    """Lists whose bulk deletion removes people, positions or supervisions from the tree: a
    deletion in bulk passes by the models' own `delete`, which says so one at a time."""

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        seats_changed()


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "name_km"]


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin):
    form = movenodeform_factory(Organisation, exclude=["member_count", "cell_count"])
    list_display = ["name", "kind", "level", "ref", "member_count"]
    list_filter = ["kind", "level", "category"]
    search_fields = ["name", "ref"]
    list_select_related = ["level"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # A moved subtree changes the totals of both its old and its new ancestors.
        Organisation.objects.recount()


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    readonly_fields = ["cell", "started_on", "ended_on"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(MovesPeople):
    list_display = ["full_name", "card_number", "cell", "status"]
    list_filter = ["status", "gender"]
    search_fields = ["search_name", "card_number"]
    list_select_related = ["cell"]
    autocomplete_fields = ["cell", "user"]
    inlines = [PositionInline, MembershipInline]

    @transaction.atomic
    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.save()
            obj.open_membership(obj.admitted_on)
        else:
            new_cell = obj.cell
            if "cell" in form.changed_data:
                # Save the rest in the old cell, then transfer so the history is kept.
                obj.cell_id = form.initial["cell"]
            obj.save()
            obj.move_to(new_cell)
        record(request, Action.MEMBER_CHANGED, obj, detail={"fields": form.changed_data})


@admin.register(Position)
class PositionAdmin(MovesPeople):
    list_display = ["member", "kind", "organisation", "started_on", "ended_on"]
    list_filter = ["kind"]
    list_select_related = ["member", "organisation"]
    autocomplete_fields = ["member", "organisation"]
    search_fields = ["member__search_name", "organisation__name"]
