from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("ledger/print/", views.ledger_print, name="ledger_print"),
    path("ledger.pdf", views.ledger_pdf, name="ledger_pdf"),
]
