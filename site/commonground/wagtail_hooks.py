"""The Wagtail admin without Documents: no page can hold one, so nobody should upload one
(the app stays installed only because Wagtail's admin needs it; migration 0003 took the
document permissions from the groups). The hooks run after Wagtail's own (order=100)."""

from wagtail import hooks


@hooks.register("construct_main_menu", order=100)
def hide_documents(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "documents"]


@hooks.register("construct_homepage_summary_items", order=100)
def hide_document_count(request, summary_items):
    from wagtail.documents.wagtail_hooks import DocumentsSummaryItem

    summary_items[:] = [i for i in summary_items if not isinstance(i, DocumentsSummaryItem)]
