"""Pages of the supervisors' side (mounted at /reports/)."""

from django.urls import path

from .views import audit, board, pages

app_name = "reports"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("gaps/", pages.gaps, name="gaps"),
    path("outcomes/", pages.outcomes, name="outcomes"),
    path("outcomes/print/", pages.outcomes_print, name="outcomes_print"),
    path("outcomes.pdf", pages.outcomes_pdf, name="outcomes_pdf"),
    path("league/", pages.league, name="league"),
    path("officers/", pages.officers, name="officers"),
    path("systemic/", pages.systemic, name="systemic"),
    path("ledger.xlsx", pages.ledger, {"fmt": "xlsx"}, name="ledger_xlsx"),
    path("ledger.csv", pages.ledger, {"fmt": "csv"}, name="ledger_csv"),
    path("cases/<str:number>/audit/", audit.case_audit_page, name="audit"),
    path("public/", board.board, name="board"),
]
