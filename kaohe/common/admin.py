"""Django admin for domain models is read-only: every change must go through the services,
which validate, keep the unit tree's paths right and write the audit chain."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
