"""Login, logout, password change and reset, on Django's auth views with the portal's templates."""

from django.contrib.auth import views as auth_views
from django.urls import path

from networks.forms import LoginForm
from networks.views.accounts import PasswordResetConfirmView, PasswordResetView

urlpatterns = [
    path(
        "accedi/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("esci/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/fatto/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("password/recupera/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/recupera/inviata/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/recupera/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/recupera/completata/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
