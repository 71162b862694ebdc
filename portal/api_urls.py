"""``/api/v1/portal/`` (mounted by config/api_urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("captcha/", api.CaptchaView.as_view(), name="api-portal-captcha"),
    path("enterprises/", api.EnterpriseView.as_view(), name="api-portal-enterprises"),
    path("categories/", api.CategoryView.as_view(), name="api-portal-categories"),
    path("submissions/", api.SubmissionView.as_view(), name="api-portal-submissions"),
    path("access/", api.AccessView.as_view(), name="api-portal-access"),
    path("phone-codes/", api.PhoneCodeView.as_view(), name="api-portal-phone-codes"),
    path("phone-access/", api.PhoneAccessView.as_view(), name="api-portal-phone-access"),
    path("items/", api.ItemsView.as_view(), name="api-portal-items"),
    path("items/<str:number>/", api.ItemView.as_view(), name="api-portal-item"),
    path("items/<str:number>/rating/", api.RatingView.as_view(), name="api-portal-rating"),
    path("items/<str:number>/reopen/", api.ReopenView.as_view(), name="api-portal-reopen"),
    path("items/<str:number>/withdraw/", api.WithdrawView.as_view(), name="api-portal-withdraw"),
    path("items/<str:number>/publication/", api.PublicationView.as_view(), name="api-portal-publication"),
    path("items/<str:number>/union-ratings/", api.UnionRatingView.as_view(), name="api-portal-union-rating"),
]
