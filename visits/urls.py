from django.urls import path

from . import exports, views

app_name = "visits"

urlpatterns = [
    path("", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/targets/new/", views.target_edit, name="target_create"),
    path("groups/<int:pk>/targets/<int:target_pk>/", views.target_edit, name="target_edit"),
    path("groups/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("groups/<int:pk>/interviews.xlsx", exports.group_register_xlsx, name="register_xlsx"),
    path("visit/<int:pk>/", views.visit_detail, name="visit"),
    path("visit/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visit/<int:pk>/attachments/", views.visit_attach, name="visit_attach"),
    path("visit/<int:pk>/attachments/<int:attachment_pk>/", views.visit_attachment, name="visit_attachment"),
    path("visit/<int:pk>/interviews/new/", views.interview_create, name="interview_create"),
    path("interview/<int:pk>/", views.interview_detail, name="interview"),
    path("interview/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path("interview/<int:pk>/sign-off/", views.interview_sign_off, name="interview_sign_off"),
    path("interview/<int:pk>/attachments/", views.interview_attach, name="interview_attach"),
    path(
        "interview/<int:pk>/attachments/<int:attachment_pk>/",
        views.interview_attachment,
        name="interview_attachment",
    ),
    path("interview/<int:pk>/write-up/", views.interview_write_up, name="interview_write_up"),
    path("interview/<int:pk>/submit/", views.interview_submit, name="interview_submit"),
    path("interview/<int:pk>/file-case/", views.interview_file_case, name="interview_file_case"),
    path("interview/<int:pk>/print/", exports.interview_print, name="interview_print"),
    path("interview/<int:pk>/print.pdf", exports.interview_pdf, name="interview_pdf"),
    path("enterprises/", views.enterprise_list, name="enterprises"),
    path("enterprises.xlsx", exports.enterprises_xlsx, name="enterprises_xlsx"),
    path("enterprises/<int:pk>/", views.enterprise_types, name="enterprise_types"),
    path("summary/", views.summary, name="summary"),
]
