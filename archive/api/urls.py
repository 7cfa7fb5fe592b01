"""The REST API (included at /api/ by memorial/urls.py; the schema is at /api/schema/).

Token routes take any path segment as the token, so a malformed token reaches the same view
and gets the same 404 as a well-formed wrong one.
"""

from django.urls import path, re_path

from archive.api import views

TOKEN = r"(?P<token>[^/]+)"

urlpatterns = [
    path("contributions/", views.ContributionCreate.as_view(), name="api-contribution-create"),
    re_path(rf"^consent/{TOKEN}/$", views.ConsentDetail.as_view(), name="api-consent"),
    re_path(rf"^consent/{TOKEN}/withdraw$", views.ConsentWithdraw.as_view(), name="api-consent-withdraw"),
    re_path(rf"^consent/{TOKEN}/erase$", views.ConsentErase.as_view(), name="api-consent-erase"),
    re_path(rf"^consent/{TOKEN}/receipt$", views.ConsentReceipt.as_view(), name="api-consent-receipt"),
    path("curator/contributions/", views.CuratorQueue.as_view(), name="api-curator-queue"),
    re_path(r"^curator/contributions/(?P<pk>[^/]+)/approve$", views.CuratorApprove.as_view(),
            name="api-curator-approve"),
    re_path(r"^curator/contributions/(?P<pk>[^/]+)/reject$", views.CuratorReject.as_view(),
            name="api-curator-reject"),
    re_path(r"^curator/contributions/(?P<pk>[^/]+)/request-changes$", views.CuratorRequestChanges.as_view(),
            name="api-curator-request-changes"),
    path("items/", views.PublicItemList.as_view(), name="api-items"),
    path("items/<str:pk>/", views.PublicItemDetail.as_view(), name="api-item"),
]
