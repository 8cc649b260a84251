from django.contrib import admin

from chibo.voices.models import Category, Step, Voice


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "name_km", "answer_days", "resolve_days", "position"]


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    readonly_fields = ["kind", "by_org", "to_org", "by", "text", "at"]
    can_delete = False


@admin.register(Voice)
class VoiceAdmin(admin.ModelAdmin):
    # Changes go through the pages, so that every one is a step: the admin only reads.
    list_display = ["__str__", "cell", "holder", "category", "state", "received_at"]
    list_filter = ["state", "moderation", "category", "urgency"]
    raw_id_fields = ["cell", "holder", "raised_by", "recorded_by", "meeting"]
    inlines = [StepInline]

    def get_queryset(self, request):
        # The admin reads those waiting for review or rejected at the public door too.
        return Voice.everything.all()

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
