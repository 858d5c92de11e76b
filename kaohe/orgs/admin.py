from django.contrib import admin

from .models import Person, Unit, UnitCategory

admin.site.register(UnitCategory)
admin.site.register(Person)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "parent"]
    search_fields = ["name", "short_name"]
