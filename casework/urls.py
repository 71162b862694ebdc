from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("inbox/", views.lists.inbox, name="inbox"),
    path("queue/", views.lists.queue, name="queue"),
    path("archive/", views.lists.archive, name="archive"),
    path("all/", views.lists.case_list, name="list"),
    path("new/", views.intake.register, name="register"),
    path("enterprises.json", views.intake.enterprise_search, name="enterprise_search"),
    path("<str:number>/", views.case.detail, name="detail"),
    path("<str:number>/receipt/", views.case.receipt, name="receipt"),
    path("<str:number>/act/<str:action>/", views.case.act, name="act"),
]
