"""Public member profiles."""

from django.shortcuts import get_object_or_404, render

from commonground.members.models import MemberProfile


def profile(request, handle):
    member = get_object_or_404(MemberProfile, handle=handle)
    return render(request, "members/profile.html", {"member": member})
