from django.contrib import admin

from kaohe.common.admin import ReadOnlyAdmin

from .models import Person, Unit, UnitCategory

admin.site.register([UnitCategory, Person], ReadOnlyAdmin)


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "parent"]
    search_fields = ["name", "short_name"]
