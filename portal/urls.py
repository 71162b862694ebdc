"""The worker portal (mounted at /portal/): the worker's pages, and the desk's."""

from django.urls import path

from .views import desk, public

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("submit/", public.submit, name="submit"),
    path("submitted/", public.receipt, name="receipt"),
    path("enterprises.json", public.enterprises, name="enterprises"),
    path("follow/", public.follow, name="follow"),
    path("leave/", public.leave, name="leave"),
    path("my/", public.my, name="my"),
    path("my/<str:number>/", public.item, name="item"),
    path("my/<str:number>/letter/", public.letter, name="letter"),
    path("my/<str:number>/<str:action>/", public.act, name="act"),
    # the desk (staff login)
    path("desk/", desk.desk_list, name="desk"),
    path("desk/sms/", desk.sms_log, name="sms_log"),
    path("desk/ratings/", desk.ratings, name="ratings"),
    path("desk/<int:pk>/", desk.desk_detail, name="desk_detail"),
    path("desk/<int:pk>/files/<int:attachment_pk>/", desk.desk_file, name="desk_file"),
]
