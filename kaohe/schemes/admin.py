from django.contrib import admin

from .models import Component, GradeLevel, GradingCategory, Indicator, Scheme, Subject

admin.site.register([Scheme, Component, GradingCategory, GradeLevel, Indicator, Subject])
