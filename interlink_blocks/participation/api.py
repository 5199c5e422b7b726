"""The participation REST API: approved contributions of a call, create one, support one or
the call.

Creation and support use the same validation, rate limits and e-mail confirmation as the
public forms; anonymous clients give an address and confirm by mail.
"""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from ..parsers import PARSER_CLASSES
from ..throttling import BudgetThrottle
from . import conf, ratelimit
from .identity import current_participant
from .models import Contribution, ContributionKind, ContributionState
from .services import contributions as contribution_service
from .services import engagement
from .views.common import get_call


def documented(**kwargs):
    """``extend_schema`` on a view method, based on drf-spectacular's AutoSchema.

    ``extend_schema`` otherwise builds on the host's ``DEFAULT_SCHEMA_CLASS`` at import
    time; a host site that never configured drf-spectacular would get DRF's own class.
    """

    def decorator(method):
        method.kwargs = {"schema": AutoSchema}
        return extend_schema(**kwargs)(method)

    return decorator


class ParticipationThrottle(BudgetThrottle):
    """Per client address, for writes only; rate from ``PARTICIPATION_API_RATE``."""

    group = "interlink_participation:api"

    def get_rate(self):
        return conf.get("PARTICIPATION_API_RATE")

    def get_value(self, request):
        if request.method in permissions.SAFE_METHODS:
            return None
        return super().get_value(request)


class AnswerSerializer(serializers.Serializer):
    status = serializers.CharField(source="answer_status")
    text = serializers.CharField(source="answer_text")
    answered_at = serializers.DateTimeField()


class ContributionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    in_reply_to = serializers.SlugRelatedField(source="parent", slug_field="uuid", read_only=True)
    author = serializers.CharField(source="public_author", read_only=True)
    supports = serializers.IntegerField(source="support_count", read_only=True)
    official_answer = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = [
            "id",
            "in_reply_to",
            "kind",
            "title",
            "body",
            "author",
            "supports",
            "official_answer",
            "published_at",
        ]

    @extend_schema_field(AnswerSerializer(allow_null=True))
    def get_official_answer(self, contribution):
        if not contribution.answer_status:
            return None
        return AnswerSerializer(contribution).data


class ContributionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContributionKind.choices, default="idea")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField()
    in_reply_to = serializers.UUIDField(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    email = serializers.EmailField(
        required=False, help_text=_("Required without an account; a confirmation link is mailed.")
    )

    def validate_body(self, value):
        limit = conf.get("PARTICIPATION_MAX_BODY_LENGTH")
        if len(value) > limit:
            raise serializers.ValidationError(_("At most %(limit)d characters.") % {"limit": limit})
        return value

    def validate(self, attrs):
        call = self.context["call"]
        if self.context["participant"] is None and not attrs.get("email"):
            raise serializers.ValidationError({"email": _("Required without an account.")})
        reply_to = attrs.pop("in_reply_to", None)
        attrs["parent"] = None
        if reply_to:
            attrs["parent"] = (
                Contribution.objects.approved()
                .filter(uuid=reply_to, call=call, parent__isnull=True)
                .first()
            )
            if attrs["parent"] is None:
                raise serializers.ValidationError(
                    {
                        "in_reply_to": _(
                            "No approved top-level contribution of this call has this id."
                        )
                    }
                )
        return attrs


class CreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.CharField()
    detail = serializers.CharField()


def _check_rate(request, email: object = "") -> None:
    # Counted before validation (a refused request costs nothing more); a body may hold
    # anything under "email", and only a string is an address to count.
    if not ratelimit.allow(request, email if isinstance(email, str) else ""):
        raise Throttled(detail=_("Too many submissions; try again in an hour."))


class CallContributionsView(generics.ListCreateAPIView):
    """Approved contributions of a call (GET); a new contribution (POST, throttled)."""

    serializer_class = ContributionSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ParticipationThrottle]
    parser_classes = PARSER_CLASSES
    # Set on the view so host sites need no REST_FRAMEWORK schema setting (as rest.py does).
    schema = AutoSchema()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no call
            return Contribution.objects.none()
        call = get_call(self.kwargs["call_id"])
        return (
            Contribution.objects.approved()
            .filter(call=call)
            .select_related("parent")
            .annotate(support_count=Count("supports"))
            .order_by("published_at", "pk")
        )

    @documented(
        request=ContributionCreateSerializer,
        responses={
            201: CreatedSerializer,
            400: OpenApiResponse(description="Invalid input"),
            403: OpenApiResponse(description="The call does not accept contributions"),
            429: OpenApiResponse(description="Rate limit reached"),
        },
    )
    def post(self, request, *args, **kwargs):
        call = get_call(self.kwargs["call_id"])
        if not call.accepts_contributions:
            return Response(
                {"detail": _("This call does not accept contributions.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        participant = current_participant(request)
        _check_rate(request, request.data.get("email", "") if hasattr(request.data, "get") else "")
        serializer = ContributionCreateSerializer(
            data=request.data, context={"call": call, "participant": participant}
        )
        serializer.is_valid(raise_exception=True)
        contribution = contribution_service.submit(
            call, serializer.validated_data, participant, source="api"
        )
        detail = (
            _("A confirmation link was mailed; the contribution enters moderation once confirmed.")
            if contribution.state == ContributionState.UNCONFIRMED
            else _("The contribution awaits moderation.")
        )
        return Response(
            {"id": contribution.uuid, "state": contribution.state, "detail": detail},
            status=status.HTTP_201_CREATED,
        )


class SupportRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(
        required=False, help_text=_("Required without an account; a confirmation link is mailed.")
    )


class _SupportView(APIView):
    """Support (POST) or withdraw one's support (DELETE), as the buttons on the call page do.

    Signed-in clients support at once (one support per person: 409 the second time);
    anonymous clients give an address and confirm by mail (202). Supporting needs a call
    that accepts contributions; withdrawing stays possible once it is closed.
    """

    schema = AutoSchema()
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ParticipationThrottle]
    parser_classes = PARSER_CLASSES
    #: The 409 answer's detail, per kind of target.
    already: str

    def target(self):
        """The call and the contribution (None: the call itself) this request is about."""
        raise NotImplementedError

    def _post(self, request):
        call, contribution = self.target()
        if not call.accepts_contributions:
            return Response({"detail": _("This call is closed.")}, status=status.HTTP_403_FORBIDDEN)
        participant = current_participant(request)
        serializer = SupportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data.get("email", "")
        _check_rate(request, email)
        if participant is None:
            if not email:
                return Response(
                    {"email": [_("Required without an account.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            engagement.request_support_confirmation(email, call, contribution)
            return Response(
                {"detail": _("A confirmation link was mailed.")}, status=status.HTTP_202_ACCEPTED
            )
        if not engagement.add_support(participant, call, contribution):
            return Response({"detail": self.already}, status=status.HTTP_409_CONFLICT)
        return Response({"detail": _("Supported.")}, status=status.HTTP_201_CREATED)

    def _delete(self, request):
        call, contribution = self.target()
        participant = current_participant(request)
        if participant is None:
            return Response({"detail": _("Sign in to withdraw a support.")}, status=403)
        engagement.withdraw_support(participant, call, contribution)
        return Response(status=status.HTTP_204_NO_CONTENT)


SUPPORT_RESPONSES = {
    201: inline_serializer("SupportCreated", {"detail": serializers.CharField()}),
    202: inline_serializer("SupportMailed", {"detail": serializers.CharField()}),
    403: OpenApiResponse(description="The call does not accept supports"),
    409: OpenApiResponse(description="Already supported"),
    429: OpenApiResponse(description="Rate limit reached"),
}


class SupportView(_SupportView):
    """Support an approved top-level contribution (POST) or withdraw your support (DELETE).

    Replies cannot be supported (404), as on the call page.
    """

    already = _("You already support this contribution.")

    def target(self):
        contribution = get_object_or_404(
            Contribution.objects.approved().filter(parent__isnull=True).select_related("call"),
            pk=self.kwargs["contribution_id"],
        )
        get_call(contribution.call_id)
        return contribution.call, contribution

    @documented(request=SupportRequestSerializer, responses=SUPPORT_RESPONSES)
    def post(self, request, contribution_id):
        return self._post(request)

    @documented(request=None, responses={204: None, 403: OpenApiResponse()})
    def delete(self, request, contribution_id):
        return self._delete(request)


class CallSupportView(_SupportView):
    """Support a call (POST) or withdraw your support for it (DELETE)."""

    already = _("You already support this call.")

    def target(self):
        return get_call(self.kwargs["call_id"]), None

    @documented(request=SupportRequestSerializer, responses=SUPPORT_RESPONSES)
    def post(self, request, call_id):
        return self._post(request)

    @documented(request=None, responses={204: None, 403: OpenApiResponse()})
    def delete(self, request, call_id):
        return self._delete(request)
