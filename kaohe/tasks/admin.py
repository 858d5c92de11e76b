"""Read-only admin views of task records (changes go through the services and pages)."""

from django.contrib import admin

from .models import ExtensionRequest, FileVersion, Reminder, Submission, Task, TaskTransition


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ["indicator", "unit", "deadline", "status"]
    list_filter = ["status", "scheme"]
    search_fields = ["unit__name", "indicator__code", "indicator__name"]


@admin.register(TaskTransition)
class TaskTransitionAdmin(ReadOnly):
    list_display = ["task", "from_status", "to_status", "actor", "at"]


@admin.register(FileVersion)
class FileVersionAdmin(ReadOnly):
    list_display = ["name", "number", "kind", "size", "sha256", "uploaded_by", "uploaded_at"]


admin.site.register(Submission, ReadOnly)
admin.site.register(ExtensionRequest, ReadOnly)
admin.site.register(Reminder, ReadOnly)
