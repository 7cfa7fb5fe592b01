"""REST API views: thin, they validate input, call services and selectors, and shape output.

Token endpoints answer a wrong, guessed or mistyped token exactly like any other: the same 404
body after the same single lookup by hash (archive.contributions.contribution_for_token).
"""

from __future__ import annotations

import uuid

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from archive import consent, contributions, moderation, receipts
from archive.api import serializers as s
from archive.api.links import item_links
from archive.models import ConsentVersion, Contribution, Item, ItemMedia
from archive.projection import public_projection

TOKEN_NOT_FOUND = _("This link is not valid. Check that you copied all of it, or contact the archive.")


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _contribution(token: str) -> Contribution:
    try:
        return contributions.contribution_for_token(token)
    except contributions.InvalidToken:
        raise NotFound(TOKEN_NOT_FOUND) from None


def _refused(exc: Exception):
    return ValidationError({"detail": str(exc)})


class ContributionCreate(APIView):
    """Submit a story (multipart: files 0..n, consent as a JSON string). No account needed."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(request={"multipart/form-data": s.ContributionIn}, responses={201: s.ContributionCreated})
    def post(self, request):
        data = s.ContributionIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            submission = contributions.submit_contribution(
                kind=v["kind"], title=v["title"], story=v["story"], language=v["language"], files=v["files"],
                consent=v["consent"], contact_email=v["contact_email"] or None,
                contributor_name=v["contributor_name"], relationship=v["relationship"],
                method=ConsentVersion.Method.API,
            )
        except contributions.ContributionError as exc:
            raise _refused(exc) from exc
        token = submission.token
        body = {
            "id": submission.contribution.pk,
            "items": [item.pk for item in submission.items],
            "manage_url": _absolute(request, submission.manage_path),
            "receipt_url": _absolute(request, submission.receipt_path),
            "receipt_json_url": _absolute(request, contributions.api_paths(token)["receipt"]),
        }
        return Response(s.ContributionCreated(body).data, status=status.HTTP_201_CREATED)


def _state(contribution: Contribution, token: str) -> dict:
    document = receipts.signed_document(contribution, token=token)
    receipt = document["receipt"]
    return {"contribution": contribution.pk, "erased_at": contribution.erased_at,
            "items": receipt["items"], "receipt": document}


TOKEN_PARAM = OpenApiParameter("token", str, OpenApiParameter.PATH,
                               description="The private management token from the submission's manage_url")


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes: list = []


class ConsentDetail(TokenView):
    """The current consent, its history, and where the story appears now; PATCH changes it."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(parameters=[TOKEN_PARAM], responses={200: s.ConsentStateOut})
    def get(self, request, token: str):
        contribution = _contribution(token)
        return Response(_state(contribution, token))

    @extend_schema(parameters=[TOKEN_PARAM], request=s.ConsentChangeIn, responses={200: s.ConsentStateOut})
    def patch(self, request, token: str):
        contribution = _contribution(token)
        data = s.ConsentChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        change = dict(data.validated_data)
        for key in ("embargo_until", "expires_at"):
            if key in change and change[key] is None:
                change[key] = contributions.CLEAR
        try:
            contributions.change_consent(contribution, method=ConsentVersion.Method.API, **change)
        except contributions.ContributionError as exc:
            raise _refused(exc) from exc
        return Response(_state(contribution, token))


class ConsentWithdraw(TokenView):
    @extend_schema(parameters=[TOKEN_PARAM], request=None, responses={200: s.WithdrawalOut})
    def post(self, request, token: str):
        contribution = _contribution(token)
        try:
            reports = contributions.withdraw(contribution, method=ConsentVersion.Method.API)
        except contributions.ContributionError as exc:
            raise _refused(exc) from exc
        return Response({
            "removal_reports": [{"item": str(r.item_id), **receipts.report_summary(r)} for r in reports],
            "receipt": receipts.signed_document(contribution, token=token),
        })


class ConsentErase(TokenView):
    @extend_schema(parameters=[TOKEN_PARAM], request=None, responses={200: s.ErasureOut})
    def post(self, request, token: str):
        contribution = _contribution(token)
        return Response(contributions.erase(contribution))


class ConsentReceipt(TokenView):
    """The signed JSON consent receipt (verify with archive.receipts.verify on the signature)."""

    @extend_schema(parameters=[TOKEN_PARAM], responses={200: s.SignedReceiptOut})
    def get(self, request, token: str):
        contribution = _contribution(token)
        return Response(receipts.signed_document(contribution, token=token))


# --- curators -------------------------------------------------------------------------------


class CuratorView(APIView):
    permission_classes = [IsAuthenticated]
    required: tuple[str, ...] = ("archive.moderate_item",)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not any(request.user.has_perm(p) for p in self.required):
            raise PermissionDenied(_("Your role does not allow this."))


def _queue_entry(item: Item) -> dict:
    return {
        "id": item.pk, "contribution": item.contribution_id, "kind": item.kind, "status": item.status,
        "title": item.title, "story": item.story, "created_at": item.created_at,
        "moderation_note": item.moderation_note,
        "consent": receipts.consent_summary(item.current_consent),
        "media": [{"id": m.pk, "role": m.role, "status": m.asset.status,
                   "failure_reason": m.asset.failure_reason} for m in item.media.all()],
    }


class CuratorQueue(CuratorView):
    """Submissions awaiting review (and those sent back for changes), oldest first."""

    required = ("archive.moderate_item", "archive.publish_item")

    @extend_schema(responses={200: s.QueueEntryOut(many=True)})
    def get(self, request):
        items = (
            Item.objects.filter(status__in=[Item.Status.SUBMITTED, Item.Status.CHANGES_REQUESTED])
            .select_related("current_consent")
            .prefetch_related(Prefetch("media", queryset=ItemMedia.objects.select_related("asset")))
            .order_by("created_at")
        )
        page = self.paginator.paginate_queryset(items, request, view=self)
        return self.paginator.get_paginated_response([_queue_entry(i) for i in page])

    @property
    def paginator(self):
        from rest_framework.settings import api_settings

        if not hasattr(self, "_paginator"):
            self._paginator = api_settings.DEFAULT_PAGINATION_CLASS()
        return self._paginator


def _items_for(pk: str) -> list[Item]:
    """An item id, or a contribution id (all of its items)."""
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise NotFound(_("No such submission.")) from None
    items = list(Item.objects.filter(pk=key)) or list(Item.objects.filter(contribution_id=key))
    if not items:
        raise NotFound(_("No such submission."))
    return items


class CuratorApprove(CuratorView):
    required = ("archive.publish_item",)

    @extend_schema(request=None, responses={200: s.QueueEntryOut(many=True)})
    def post(self, request, pk: str):
        items = _items_for(pk)
        try:
            for item in items:
                moderation.approve(item, actor=request.user)
        except moderation.ModerationError as exc:
            raise _refused(exc) from exc
        return Response([_queue_entry(Item.objects.get(pk=i.pk)) for i in items])


class CuratorReject(CuratorView):
    required = ("archive.moderate_item",)
    step = staticmethod(moderation.reject)

    @extend_schema(request=s.ReasonIn, responses={200: s.QueueEntryOut(many=True)})
    def post(self, request, pk: str):
        items = _items_for(pk)
        data = s.ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            for item in items:
                self.step(item, actor=request.user, reason=data.validated_data["reason"])
        except moderation.ModerationError as exc:
            raise _refused(exc) from exc
        return Response([_queue_entry(Item.objects.get(pk=i.pk)) for i in items])


class CuratorRequestChanges(CuratorReject):
    step = staticmethod(moderation.request_changes)


# --- public ---------------------------------------------------------------------------------


def _public_items():
    return (
        consent.visible_items("web")
        .select_related("event", "contributor", "current_consent")
        .prefetch_related("subjects", Prefetch("media", queryset=ItemMedia.objects.select_related("asset")))
        .order_by("-published_at", "-pk")  # the (published_at, id) index, read backwards
    )


def _item_page(item_id) -> str:
    try:
        return reverse("item-detail", kwargs={"item_id": item_id})
    except NoReverseMatch:
        return ""


def _media_urls(asset) -> dict:
    from media_pipeline import services as media

    return media.public_urls(asset)


def _public_data(request, item: Item, links: dict) -> dict | None:
    public = public_projection(item, "web")
    if public is None:
        return None
    page = _item_page(item.pk)
    return s.public_item_data(public, url=_absolute(request, page) if page else "", media_urls=_media_urls,
                              links=links[item.pk])


class PublicItemList(APIView):
    """Items the contributors' consent allows on the web, newest first."""

    authentication_classes: list = []
    permission_classes: list = []

    # The answer is paginated (LimitOffsetPagination): document the envelope and its parameters.
    @extend_schema(
        operation_id="items_list",
        responses={200: inline_serializer("PaginatedPublicItemList", {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": s.PublicItemOut(many=True),
        })},
        parameters=[OpenApiParameter("limit", int, required=False), OpenApiParameter("offset", int, required=False)],
    )
    def get(self, request):
        from rest_framework.settings import api_settings

        paginator = api_settings.DEFAULT_PAGINATION_CLASS()
        page = paginator.paginate_queryset(_public_items(), request, view=self)
        links = item_links(page, request)
        rows = [d for d in (_public_data(request, item, links) for item in page) if d is not None]
        return paginator.get_paginated_response(s.PublicItemOut(rows, many=True).data)


class PublicItemDetail(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(responses={200: s.PublicItemOut})
    def get(self, request, pk: str):
        try:
            key = uuid.UUID(str(pk))
        except ValueError:
            raise NotFound() from None
        item = _public_items().filter(pk=key).first()
        data = _public_data(request, item, item_links([item], request)) if item is not None else None
        if data is None:
            raise NotFound()
        return Response(s.PublicItemOut(data).data)
