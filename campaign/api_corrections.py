"""Corrections under ``/api/v1/campaign/``: ``PATCH`` / ``DELETE`` of 联系点, 联系户, 结对帮扶 and
办实事 commitments, through the same services as the pages (history kept; a delete refused
while something hangs on the row, in Chinese). Scoped like the pages: 404 outside the
caller's jurisdiction, 403 for a role that may not correct the row.

A ``PATCH`` sends only what changes; the rest keeps its current value.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.exceptions import InvalidInput
from casework.models import OrgUnit

from . import selectors, services
from .api import FamilyDetailView
from .models import Cadre, Hardship

TAGS = ["campaign"]
ERRORS = (400, 401, 403, 404, 413, 415, 429)
OBJECT = {"type": "object", "additionalProperties": {}}


def _pk(pk: int) -> int:
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data, partial=True)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _unit(code: str, field: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise InvalidInput(fields={field: [_("单位代码不存在。")]})
    return unit


# --- 联系点 -----------------------------------------------------------------------------------


class PointIn(serializers.Serializer):
    place = serializers.CharField(max_length=50, help_text="企业（社区）代码")
    unit = serializers.CharField(max_length=50, help_text="联系单位代码")
    cadre = serializers.IntegerField(min_value=1, max_value=2**62, allow_null=True, help_text="联系干部，可为空")
    since = serializers.DateField()


def _point_data(p) -> dict:
    return {
        "id": p.pk,
        "campaign": p.campaign_id,
        "place": p.place.code,
        "unit": p.unit.code,
        "cadre": p.cadre_id,
        "since": p.since,
    }


class PointView(APIView):
    error_statuses = ERRORS

    @extend_schema(operation_id="campaign_point_update", request=PointIn, responses={200: OBJECT}, tags=TAGS)
    def patch(self, request, pk: int):
        point = selectors.get_visible_point(request.user, _pk(pk))
        d = _valid(PointIn, request)
        cadre = point.cadre
        if "cadre" in d:
            cadre = None if d["cadre"] is None else Cadre.objects.select_related("unit").filter(pk=d["cadre"]).first()
            if d["cadre"] is not None and cadre is None:
                raise InvalidInput(fields={"cadre": [_("请选择主办单位辖区内的参与干部。")]})
        point = services.point_update(
            actor=request.user,
            point=point,
            place=_unit(d["place"], "place") if "place" in d else point.place,
            unit=_unit(d["unit"], "unit") if "unit" in d else point.unit,
            cadre=cadre,
            since=d.get("since", point.since),
        )
        return Response(_point_data(selectors.get_visible_point(request.user, point.pk)))

    @extend_schema(operation_id="campaign_point_delete", responses={204: None}, tags=TAGS)
    def delete(self, request, pk: int):
        point = selectors.get_visible_point(request.user, _pk(pk))
        services.point_delete(actor=request.user, point=point)
        return Response(status=204)


# --- 联系户 -----------------------------------------------------------------------------------


class FamilyIn(serializers.Serializer):
    unit = serializers.CharField(max_length=50, help_text="建档单位代码")
    head = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, allow_blank=True)
    address = serializers.CharField(max_length=200, allow_blank=True)
    employer = serializers.CharField(max_length=200, allow_blank=True)
    members = serializers.IntegerField(min_value=1, max_value=50)
    hardship = serializers.ChoiceField(choices=Hardship.choices, allow_blank=True)
    situation = serializers.CharField(max_length=5000, allow_blank=True)


FAMILY_FIELDS = ("head", "phone", "address", "employer", "members", "hardship", "situation")


class FamilyView(FamilyDetailView):
    """``families/{id}/``: the detail (GET, masked unless a logged unmask) and its corrections."""

    error_statuses = ERRORS

    @extend_schema(
        operation_id="campaign_family_update", request=FamilyIn, responses={200: OBJECT}, tags=TAGS,
        summary="修改联系户档案（可查看完整信息者；返回脱敏）",
    )  # fmt: skip
    def patch(self, request, pk: int):
        family = selectors.get_visible_family(request.user, _pk(pk))
        d = _valid(FamilyIn, request)
        values = {f: d.get(f, getattr(family, f)) for f in FAMILY_FIELDS}
        unit = _unit(d["unit"], "unit") if "unit" in d else family.unit
        services.family_update(actor=request.user, family=family, unit=unit, **values)
        return Response(selectors.family_row(selectors.get_visible_family(request.user, family.pk)))

    @extend_schema(operation_id="campaign_family_delete", responses={204: None}, tags=TAGS)
    def delete(self, request, pk: int):
        family = selectors.get_visible_family(request.user, _pk(pk))
        services.family_delete(actor=request.user, family=family)
        return Response(status=204)


# --- 结对帮扶 ---------------------------------------------------------------------------------


class PairingIn(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField(allow_null=True, help_text="结束日期；null 为仍在结对")


class PairingView(APIView):
    error_statuses = ERRORS

    @extend_schema(operation_id="campaign_pairing_update", request=PairingIn, responses={200: OBJECT}, tags=TAGS)
    def patch(self, request, pk: int):
        pairing = selectors.get_visible_pairing(request.user, _pk(pk))
        d = _valid(PairingIn, request)
        pairing = services.pairing_update(
            actor=request.user,
            pairing=pairing,
            since=d.get("since", pairing.since),
            until=d.get("until", pairing.until),
        )
        return Response(
            {"id": pairing.pk, "family": pairing.family_id, "cadre": pairing.cadre_id, "since": pairing.since,
             "until": pairing.until}
        )  # fmt: skip

    @extend_schema(operation_id="campaign_pairing_delete", responses={204: None}, tags=TAGS)
    def delete(self, request, pk: int):
        pairing = selectors.get_visible_pairing(request.user, _pk(pk))
        services.pairing_delete(actor=request.user, pairing=pairing)
        return Response(status=204)


# --- 办实事 -----------------------------------------------------------------------------------


class CommitmentIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=5000, allow_blank=True)
    due_on = serializers.DateField()
    owner = serializers.CharField(max_length=50)


def _commitment(user, pk: int):
    c = selectors.visible_commitments(user).select_related("unit").filter(pk=_pk(pk)).first()
    if c is None:
        raise Http404
    return c


class CommitmentView(APIView):
    error_statuses = ERRORS

    @extend_schema(operation_id="campaign_commitment_update", request=CommitmentIn, responses={200: OBJECT}, tags=TAGS)
    def patch(self, request, pk: int):
        c = _commitment(request.user, pk)
        d = _valid(CommitmentIn, request)
        c = services.commitment_update(
            actor=request.user,
            commitment=c,
            **{f: d.get(f, getattr(c, f)) for f in ("title", "content", "due_on", "owner")},
        )
        return Response(
            {"id": c.pk, "unit": c.unit.code, "year": c.year, "title": c.title, "content": c.content,
             "due_on": c.due_on, "owner": c.owner, "status": c.status}
        )  # fmt: skip

    @extend_schema(operation_id="campaign_commitment_delete", responses={204: None}, tags=TAGS)
    def delete(self, request, pk: int):
        services.commitment_delete(actor=request.user, commitment=_commitment(request.user, pk))
        return Response(status=204)
