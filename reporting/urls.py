from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("ledger/print/", views.ledger_print, name="ledger_print"),
    path("ledger.pdf", views.ledger_pdf, name="ledger_pdf"),
]

urlpatterns += [
    path("", views.periods, name="periods"),
    path("periods/<int:period_pk>/start/", views.report_start, name="start"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/submit/", views.report_submit, name="submit"),
    path("reports/<int:pk>/return/", views.report_return, name="return"),
    path("reports/<int:pk>/onward/", views.onward_record, name="onward"),
    path("reports/<int:pk>/print/", views.report_print, name="print"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="pdf"),
    path("reports/<int:pk>/report.xlsx", views.report_xlsx, name="xlsx"),
]
