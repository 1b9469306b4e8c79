"""What a member wrote in a contribution, for their data download: every text field as it
stands in the latest revision (the draft they are working on, or what was sent or
published), so nothing they typed is left out of "Your data"."""

from cases.interchange.exporter import body_text


def contribution_text(page) -> dict:
    latest = page.get_latest_revision_as_object()
    figures = [block.value for block in latest.body if block.block_type == "image"]
    images = []
    if latest.hero_image_id or latest.hero_alt:
        images.append({"alt_text": latest.hero_alt, "caption": latest.hero_caption})
    images += [
        {"alt_text": figure["alt_text"], "caption": figure.get("caption", "")}
        for figure in figures
    ]
    return {
        "title": latest.title,
        "summary": latest.summary,
        "organisation": latest.organisation.name if latest.organisation_id else "",
        "country": latest.country.code or "",
        "date": latest.case_date,
        "language": latest.language,
        "themes": sorted(theme.name for theme in latest.themes.all()),
        "platforms": sorted(platform.name for platform in latest.platforms.all()),
        "body": body_text(latest),
        "lessons": [{"kind": block.block_type, "text": block.value} for block in latest.lessons],
        "outcomes": [
            {"label": block.value["label"], "value": block.value["value"]}
            for block in latest.outcomes
        ],
        "result": latest.result,
        "evidence": latest.evidence,
        "source_event": latest.source_event,
        "source_url": latest.source_url,
        "authors": latest.author_names,
        "images": images,
    }
