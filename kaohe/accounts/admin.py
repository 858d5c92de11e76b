from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class KaoheUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("考核", {"fields": ["display_name", "unit", "phone"]})]
    inlines = [RoleAssignmentInline]
