"""Placeholder, replaced by the contribution views."""

from django.http import HttpResponse


def new(request):
    return HttpResponse("")


def mine(request):
    return HttpResponse("")


def edit(request, page_id):
    return HttpResponse("")
