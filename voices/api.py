"""``/api/v1/voices/``: the caller's unanswered voices (条条有回音), and giving a voice its end."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from idempotency.decorators import idempotent

from . import selectors, services
from .models import VoiceOutcome


class VoiceItemOut(serializers.Serializer):
    kind = serializers.CharField(help_text="来源类型：voice / interview / reception / …")
    id = serializers.IntegerField()
    source = serializers.CharField()
    unit = serializers.CharField()
    raised_on = serializers.DateField()
    summary = serializers.CharField()
    url = serializers.CharField()


class UnansweredOut(serializers.Serializer):
    days = serializers.IntegerField(help_text="超过多少天未回音")
    count = serializers.IntegerField()
    results = VoiceItemOut(many=True)


class CloseIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=VoiceOutcome.choices)
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    case = serializers.CharField(max_length=32, required=False, allow_blank=True, default="", help_text="案件编号")


class VoiceOut(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.CharField()
    case = serializers.CharField(allow_null=True)
    answer = serializers.CharField()
    reason = serializers.CharField()


class UnansweredView(APIView):
    @extend_schema(responses={200: UnansweredOut}, tags=["voices"])
    def get(self, request):
        items = selectors.unanswered(unit_path=selectors.scope_path(request.user))
        results = [
            {"kind": i.kind, "id": i.pk, "source": i.source, "unit": i.unit_name, "raised_on": i.raised_on,
             "summary": i.summary, "url": i.url}
            for i in items[: selectors.LISTED]
        ]  # fmt: skip
        return Response(
            UnansweredOut({"days": selectors.unanswered_days(), "count": len(items), "results": results}).data
        )


class VoiceCloseView(APIView):
    @extend_schema(request=CloseIn, responses={200: VoiceOut}, tags=["voices"], summary="记录回音")
    @idempotent
    def post(self, request, pk: int):
        from django.http import Http404

        if not 0 < pk < 2**63:
            raise Http404
        voice = selectors.visible_voices(request.user).filter(pk=pk).first()
        if voice is None:
            raise Http404
        data = CloseIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        voice = services.voice_close(actor=request.user, voice=voice, outcome=d["outcome"], text=d["text"],
                                     case_number=d["case"])  # fmt: skip
        return Response({"id": voice.pk, "outcome": voice.outcome, "case": voice.case.number if voice.case_id else None,
                         "answer": voice.answer, "reason": voice.reason})  # fmt: skip
