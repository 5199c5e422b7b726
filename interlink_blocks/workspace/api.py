"""The workspace's REST API: a process, its plan, team and activity log, for its members.

Read-only, with the web pages' permissions (``access``): anonymous clients get 403 (401
with credentials that fail), people outside the team 403, except the public progress,
which anyone may read. Listed in the OpenAPI schema under ``/api/v1/processes/``.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from .access import Access, access_for
from .models import Activity, Membership, Process, Task
from .queries import plan_tree, public_progress
from .services.log import label_actors


def documented(**kwargs):
    """``extend_schema`` based on drf-spectacular's AutoSchema whatever the host configured."""

    def decorator(method):
        method.kwargs = {"schema": AutoSchema}
        return extend_schema(**kwargs)(method)

    return decorator


class TaskSerializer(serializers.ModelSerializer):
    assignees = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "start_date",
            "end_date",
            "status",
            "position",
            "editable_by",
            "assignees",
            "updated_at",
        ]

    def get_assignees(self, task) -> list[int]:
        return [m.pk for m in getattr(task, "assigned", [])]


class ObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="objective.pk")
    title = serializers.CharField(source="objective.title")
    description = serializers.CharField(source="objective.description")
    tasks = TaskSerializer(many=True)


class PhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="phase.pk")
    phase = serializers.CharField(source="phase.kind")
    editable_by = serializers.ListField(source="phase.editable_by", child=serializers.CharField())
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    objectives = ObjectiveSerializer(many=True)


class ProcessSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="process.pk")
    call = serializers.UUIDField(source="process.call.uuid")
    call_title = serializers.CharField(source="process.call.title")
    opened_at = serializers.DateTimeField(source="process.opened_at")
    updated_at = serializers.DateTimeField(source="process.updated_at")
    your_role = serializers.CharField(source="access.role")
    phases = PhaseSerializer(many=True)


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "name", "role", "team_role", "joined_at"]


class ActivitySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")
    description = serializers.CharField(source="text")

    class Meta:
        model = Activity
        fields = ["id", "created_at", "verb", "actor", "task", "subject", "description"]


class ProgressPhaseSerializer(serializers.Serializer):
    phase = serializers.CharField(source="kind")
    total = serializers.IntegerField()
    done = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    phases = ProgressPhaseSerializer(many=True)


def member_access(request, process_id) -> tuple[Process, Access]:
    """The process, if the requester may see its workspace; else 403 (401 for bad credentials)."""
    process = get_object_or_404(Process.objects.select_related("call"), pk=process_id)
    if not request.user.is_authenticated:
        raise NotAuthenticated
    access = access_for(request.user, process)
    if not access.can_view:
        raise PermissionDenied
    return process, access


class ProcessView(APIView):
    """A process and its whole plan: phases → objectives → tasks, with progress figures."""

    permission_classes = [permissions.AllowAny]

    @documented(responses=ProcessSerializer)
    def get(self, request, process_id):
        process, access = member_access(request, process_id)
        data = {"process": process, "access": access, "phases": plan_tree(process)}
        return Response(ProcessSerializer(data).data)


class MemberList(generics.ListAPIView):
    """The process's team."""

    serializer_class = MemberSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Membership.objects.none()
        process, _access = member_access(self.request, self.kwargs["process_id"])
        return Membership.objects.filter(process=process).order_by("name", "pk")


class ActivityList(generics.ListAPIView):
    """The activity log, newest first (paginated)."""

    serializer_class = ActivitySerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Activity.objects.none()
        self.process, _access = member_access(self.request, self.kwargs["process_id"])
        return Activity.objects.filter(process=self.process).select_related("actor")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        label_actors(self.process, page if page is not None else [])
        return page


class ProgressView(APIView):
    """The public progress of a process: what the call page shows (anyone)."""

    permission_classes = [permissions.AllowAny]

    @documented(responses=ProgressSerializer)
    def get(self, request, process_id):
        from interlink_blocks.models import CallPage

        process = get_object_or_404(Process, pk=process_id)
        call = get_object_or_404(CallPage.objects.live().public(), pk=process.call_id)
        progress = public_progress(call)
        return Response(ProgressSerializer(progress).data)
