from django.urls import path

from .views import campaigns, commitments, families, league

app_name = "campaign"

urlpatterns = [
    path("", campaigns.campaign_list, name="list"),
    path("new/", campaigns.campaign_create, name="create"),
    path("<int:pk>/", campaigns.campaign_detail, name="detail"),
    path("<int:pk>/edit/", campaigns.campaign_edit, name="edit"),
    path("<int:pk>/cadres/new/", campaigns.cadre_create, name="cadre_create"),
    path("<int:pk>/cadres/from-staff/", campaigns.cadres_from_staff, name="cadres_from_staff"),
    path("<int:pk>/groups/new/", campaigns.group_create, name="group_create"),
    path("<int:pk>/points/new/", families.point_create, name="point_create"),
    path("<int:pk>/families/", families.family_list, name="families"),
    path("<int:pk>/families/new/", families.family_create, name="family_create"),
    path("group/<int:pk>/", campaigns.group_detail, name="group"),
    path("group/<int:pk>/edit/", campaigns.group_edit, name="group_edit"),
    path("group/<int:pk>/days/new/", campaigns.participation_create, name="participation_create"),
    path("group/<int:pk>/logs/new/", campaigns.worklog_create, name="worklog_create"),
    path("group/<int:pk>/reports/new/", campaigns.report_create, name="report_create"),
    path("group/<int:pk>/reports/<int:report_pk>/file/", campaigns.report_attachment, name="report_attachment"),
    path("group/<int:pk>/typicals/new/", campaigns.typical_create, name="typical_create"),
    path("league/", league.league, name="league"),
    path("commitments/", commitments.commitment_list, name="commitments"),
    path("commitments/new/", commitments.commitment_create, name="commitment_create"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/notes/", commitments.commitment_note, name="commitment_note"),
    path("commitments/<int:pk>/complete/", commitments.commitment_complete, name="commitment_complete"),
    path("commitments/<int:pk>/publish/", commitments.commitment_publish, name="commitment_publish"),
    path("commitments/<int:pk>/edit/", commitments.commitment_edit, name="commitment_edit"),
    path("commitments/<int:pk>/delete/", commitments.commitment_delete, name="commitment_delete"),
    path("point/<int:pk>/edit/", families.point_edit, name="point_edit"),
    path("point/<int:pk>/delete/", families.point_delete, name="point_delete"),
    path("family/<int:pk>/edit/", families.family_edit, name="family_edit"),
    path("family/<int:pk>/delete/", families.family_delete, name="family_delete"),
    path("pairing/<int:pk>/edit/", families.pairing_edit, name="pairing_edit"),
    path("pairing/<int:pk>/delete/", families.pairing_delete, name="pairing_delete"),
    path("public/commitments/", commitments.public_board, name="public_commitments"),
    path("family/<int:pk>/", families.family_detail, name="family"),
    path("family/<int:pk>/pairings/new/", families.pairing_create, name="pairing_create"),
    path("family/<int:pk>/contacts/new/", families.contact_create, name="contact_create"),
]
