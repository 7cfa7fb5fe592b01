"""Public pages of the archive (included under the language prefix by memorial/urls.py)."""

from django.urls import path

from archive import views

urlpatterns = [
    path("items/<uuid:item_id>/", views.item_detail, name="item-detail"),
    path("about/", views.about, name="about"),
    path("support/", views.support, name="support"),
    path("contribute/", views.contribute, name="contribute"),
    path("contribute/files/", views.contribute_files, name="contribute-files"),
    path("contribute/choices/", views.contribute_consent, name="contribute-consent"),
    path("contribute/review/", views.contribute_review, name="contribute-review"),
    path("contribute/receipt/", views.contribute_receipt, name="contribute-receipt"),
    path("receipt/<str:token>/", views.receipt, name="receipt"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/<slug:action>/", views.manage_change, name="manage-change"),
]
