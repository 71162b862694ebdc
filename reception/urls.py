from django.urls import path

from . import views

app_name = "reception"

urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("new/", views.session_plan, name="plan"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("my-cases/", views.leader_cases, name="my_cases"),
    path("leaders/<int:user_pk>/cases/", views.leader_cases, name="leader_cases"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/open/", views.session_open, name="open"),
    path("<int:pk>/close/", views.session_close, name="close"),
    path("<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("<int:pk>/sign-off/", views.session_sign_off, name="sign_off"),
    path("<int:pk>/announce/", views.session_announce, name="announce"),
    path("<int:pk>/entries/", views.entry_add, name="entry_add"),
    path("<int:pk>/notice/", views.session_notice, name="notice"),
    path("<int:pk>/notice.pdf", views.session_notice_pdf, name="notice_pdf"),
    path("<int:pk>/summary/", views.session_summary, name="summary"),
    path("<int:pk>/summary.pdf", views.session_summary_pdf, name="summary_pdf"),
    path("entries/<int:pk>/outcome/", views.entry_resolve, name="entry_resolve"),
    path("entries/<int:pk>/file-case/", views.entry_file_case, name="entry_file_case"),
]
