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
    path("new/duplicates.json", views.intake.duplicate_check, name="duplicate_check"),
    path("pick/units.json", views.pickers.units, name="pick_units"),
    path("pick/staff.json", views.pickers.staff, name="pick_staff"),
    path("pick/cases.json", views.pickers.cases, name="pick_cases"),
    path("bulk/", views.queue.bulk_act, name="bulk"),
    path("filters/", views.queue.filter_save, name="filter_save"),
    path("filters/<int:pk>/delete/", views.queue.filter_delete, name="filter_delete"),
    path("<str:number>/", views.case.detail, name="detail"),
    path("<str:number>/worker/", views.queue.worker, name="worker"),
    path("<str:number>/watch/", views.queue.watch, name="watch"),
    path("<str:number>/receipt/", views.case.receipt, name="receipt"),
    path("<str:number>/receipt.pdf", views.case.receipt_pdf, name="receipt_pdf"),
    path("<str:number>/reply-letter/", views.case.reply_letter, name="reply_letter"),
    path("<str:number>/reply-letter.pdf", views.case.reply_letter_pdf, name="reply_letter_pdf"),
    path("<str:number>/reply-letter/<int:round_no>/", views.case.reply_letter, name="reply_letter_round"),
    path("<str:number>/reply-letter/<int:round_no>.pdf", views.case.reply_letter_pdf, name="reply_letter_round_pdf"),
    path("<str:number>/attachments/", views.case.attach, name="attach"),
    path("<str:number>/attachments/<int:pk>/", views.case.attachment, name="attachment"),
    path("<str:number>/act/<str:action>/", views.case.act, name="act"),
]
