"""Sign-in, own account, user/role management and the security policy (audit pages: audit/urls.py).

Included at the site root without a namespace (names like `login` are used by Django).
"""

from django.urls import path

from .sso import views as sso_views
from .views import account as views
from .views import admin as views_admin

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", sso_views.logout, name="logout"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/sessions/", views.my_sessions, name="my_sessions"),
    path("account/sessions/<int:pk>/end/", views.session_end, name="session_end"),
    path("account/sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    path("account/otp/", views.otp, name="otp"),
    path("manage/users/", views_admin.user_list, name="user_list"),
    path("manage/users/new/", views_admin.user_create, name="user_create"),
    path("manage/users/<int:pk>/", views_admin.user_detail, name="user_detail"),
    path("manage/users/<int:pk>/active/", views_admin.user_active, name="user_active"),
    path("manage/users/<int:pk>/password/", views_admin.user_password, name="user_password"),
    path("manage/roles/<int:pk>/revoke/", views_admin.role_revoke, name="role_revoke"),
    path("security/", views_admin.security_policy, name="security_policy"),
    path("security/unlock/", views_admin.security_unlock, name="security_unlock"),
    path("security/otp-reset/", views_admin.security_otp_reset, name="security_otp_reset"),
]
