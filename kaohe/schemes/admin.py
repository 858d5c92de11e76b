from django.contrib import admin

from kaohe.common.admin import ReadOnlyAdmin

from .models import Component, GradeLevel, GradingCategory, Indicator, Scheme, ScoreEntry, Subject

admin.site.register(
    [Scheme, Component, GradingCategory, GradeLevel, Indicator, Subject, ScoreEntry], ReadOnlyAdmin
)
