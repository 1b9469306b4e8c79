"""The contribution form: the fields of a case study, in plain text a contributor can type.

Single-line values (title, organisation, alt texts, captions, source, each author and
outcome) are put on one line; multi-line text (the story, lessons) refuses control
characters. A draft needs only a title: every other check that makes a case publishable
applies when it is sent for review (sending=True), as Wagtail's own drafts defer their
required fields. Images are stored as soon as they pass the upload checks and the member's
allowance, even when another field has an error, and carried through re-displays of the
form by a signed token, so a contributor never has to choose a file twice
(cases/contribute/uploads.py).
"""

from django_countries import countries

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import get_language, ngettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.images import get_image_model

from cases import limits
from cases.choices import DatePrecision, Evidence, LessonKind, Result
from cases.contribute.partial_date import PARTS, PartialDateField, part_widgets
from cases.contribute.uploads import (
    discard_pending,
    image_token,
    store_upload,
    token_image_id,
)
from cases.dates import PartialDate
from cases.interchange.text import html_to_text, normalise_text, paragraph_to_html, paragraphs
from cases.languages import language_choices
from cases.models import EventSession, Organisation, Platform, Theme
from commonground.honeypot import HONEYPOT_FIELD, HoneypotMixin
from commonground.text import SingleLineField, refuse_control_characters, single_line
from commonground.uploads import ImageFileField

ORGANISATION_OPTIONS = "organisation-options"
LESSON_FIELDS = {kind.value: f"lessons_{kind.value}" for kind in LessonKind}
IMAGE_GONE = _(
    "The image you chose earlier is no longer kept (images not saved in a contribution are "
    "removed after a day). Please choose it again."
)


class ImageSlot:
    """One image a contributor can attach: the hero image or a figure in the body."""

    def __init__(self, name: str, label: str, caption: bool):
        self.name, self.label, self.caption = name, label, caption
        self.file, self.kept, self.remove = f"{name}_file", f"{name}_kept", f"{name}_remove"
        self.alt = f"{name}_alt"
        self.caption_field = f"{name}_caption" if caption else None


IMAGE_SLOTS = [
    ImageSlot("hero", _("Main image"), caption=True),
    ImageSlot("image_1", _("Second image"), caption=True),
    ImageSlot("image_2", _("Third image"), caption=True),
]


# Whole sentences per kind of item, so each language can word and inflect them.
TOO_MANY_OUTCOMES = ngettext_lazy(
    "At most %(most)s outcome, please (there are %(count)s).",
    "At most %(most)s outcomes, please (there are %(count)s).",
    "most",
)
TOO_MANY_LESSONS = ngettext_lazy(
    "At most %(most)s lesson of each kind, please (there are %(count)s).",
    "At most %(most)s lessons of each kind, please (there are %(count)s).",
    "most",
)
TOO_MANY_NAMES = ngettext_lazy(
    "At most %(most)s name, please (there are %(count)s).",
    "At most %(most)s names, please (there are %(count)s).",
    "most",
)


def _too_many(items: list, most: int, message) -> None:
    if len(items) > most:
        raise ValidationError(message, params={"most": most, "count": len(items)})


def parse_outcomes(text: str) -> list[tuple[str, str]]:
    """'Label: value' per line -> [(label, value)]; raises ValidationError naming bad lines."""
    outcomes, bad = [], []
    for number, line in enumerate(normalise_text(text).split("\n"), start=1):
        label, sep, value = (single_line(part) for part in line.partition(":"))
        if not (label or sep or value):
            continue
        if not sep or not label or not value:
            bad.append(str(number))
            continue
        if len(label) > limits.OUTCOME_TEXT or len(value) > limits.OUTCOME_TEXT:
            bad.append(str(number))
            continue
        outcomes.append((label, value))
    if bad:
        raise ValidationError(
            _(
                "Write each outcome on its own line as “what was measured: the figure”, each "
                "part at most %(most)s characters (check line %(lines)s)."
            ),
            params={"lines": ", ".join(bad), "most": limits.OUTCOME_TEXT},
        )
    _too_many(outcomes, limits.OUTCOMES, TOO_MANY_OUTCOMES)
    return outcomes


def parse_lessons(text: str) -> list[str]:
    """One lesson per paragraph; raises ValidationError for too many or too long ones."""
    lessons = paragraphs(text)
    _too_many(lessons, limits.LESSONS, TOO_MANY_LESSONS)
    if any(len(lesson) > limits.LESSON for lesson in lessons):
        raise ValidationError(
            _(
                "Each lesson can be at most %(most)s characters; split a longer one into "
                "paragraphs."
            ),
            params={"most": limits.LESSON},
        )
    return lessons


TOO_LONG = ngettext_lazy(
    "Use at most %(limit_value)s character (this has %(show_value)s).",
    "Use at most %(limit_value)s characters (this has %(show_value)s).",
    "limit_value",
)
# Fields given a live count of the characters left (character_count.js), and from what
# share of their limit on (GOV.UK's character count "threshold"): the story's limit is far
# above a real story, so its count appears only near it.
COUNTED = {"title": 0, "summary": 0, "body": 90}


def counted_attrs(limit: int, threshold: int = 0, single_line: bool = False) -> dict:
    """The attributes character_count.js reads: the limit, and the messages in the language
    of the page, each in its singular and plural form (the script chooses one with the
    page language's plural rules: in every language of the site, 1 takes the first form
    and 2 the second)."""
    attrs = {"data-count-single-line": ""} if single_line else {}
    for count, form in ((1, "one"), (2, "other")):
        attrs[f"data-count-remaining-{form}"] = ngettext(
            "%(count)s character remaining", "%(count)s characters remaining", count
        )
        attrs[f"data-count-over-{form}"] = ngettext(
            "%(count)s character too many", "%(count)s characters too many", count
        )
    return {
        **attrs,
        "data-character-count": str(limit),
        "data-count-threshold": str(threshold),
    }


class FormKeyField(forms.UUIDField):
    """A hidden one-time key: anything but a UUID is no key, never an error to show."""

    widget = forms.HiddenInput(attrs={"data-keep-on-back": ""})  # form_key.js

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            return None


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.event.title} ({obj.event.start_date:%Y}): {obj.title}"


def country_choices() -> list[tuple[str, str]]:
    """Every country named and sorted in the language being read: called each time the
    field is shown (django-countries translates and sorts as it is iterated), never once at
    import, which would freeze the list in English."""
    return [("", _("Choose a country")), *countries]


def announce_errors(form) -> None:
    """Announce each field's errors with it: aria-describedby names the error list first,
    then the hint (the contribution form and the forms built on its layout)."""
    for name in form.errors:
        field = form.fields.get(name)
        if field is not None:
            ids = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if field.help_text else [])
            field.widget.attrs["aria-describedby"] = " ".join(ids)


class ContributionForm(HoneypotMixin, forms.Form):
    # The one-time key of a new contribution's form (a UUID made when it is first shown):
    # posted again, it finds the draft it saved instead of starting another. An unreadable
    # key is no key.
    form_key = FormKeyField(required=False)
    title = SingleLineField(
        label=_("Title"),
        max_length=limits.TITLE,
        help_text=_("What happened, in a few words (up to 255 characters)."),
    )
    summary = SingleLineField(
        label=_("Summary"),
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 600 characters of plain text: what happened and how it went."),
        error_messages={"required": _("Write a short summary of the case.")},
    )
    organisation = SingleLineField(
        label=_("Organisation"),
        max_length=limits.ORGANISATION,
        widget=forms.TextInput(attrs={"list": ORGANISATION_OPTIONS, "autocomplete": "off"}),
        help_text=_(
            "The police or law-enforcement organisation. Choose a known one as you type "
            "(short names such as GMP work too); a new name is checked by a moderator."
        ),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        error_messages={"required": _("Choose the country.")},
    )
    case_date = PartialDateField(
        label=_("When it happened"),
        help_text=_(
            "When the episode happened or started. The year is enough; add the month, and the "
            "day, if you know them."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.order_by("name"),
        label=_("Themes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least one."),
        error_messages={"required": _("Choose at least one theme.")},
    )
    platforms = forms.ModelMultipleChoiceField(
        label=_("Platforms"),
        queryset=Platform.objects.order_by(Lower("name")),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # A platform not in the list yet: the moderator sees it and adds it to the list.
    proposed_platform = SingleLineField(
        label=_("Other platform"),
        max_length=limits.PLATFORM,
        required=False,
        help_text=_("Not in the list? Name it, and a moderator will add it."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        initial="en",
        help_text=_("The language you are writing in."),
    )
    body = forms.CharField(
        label=_("The story"),
        max_length=limits.BODY,
        validators=[refuse_control_characters],
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text. Leave a blank line between paragraphs."),
        error_messages={"required": _("Tell the story of what happened and what you did.")},
    )
    lessons_worked = forms.CharField(
        label=LessonKind.WORKED.label,
        required=False,
        validators=[refuse_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One lesson per paragraph (blank line between them)."),
    )
    lessons_challenge = forms.CharField(
        label=LessonKind.CHALLENGE.label,
        required=False,
        validators=[refuse_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was hard or went wrong. One per paragraph."),
    )
    lessons_advice = forms.CharField(
        label=LessonKind.ADVICE.label,
        required=False,
        validators=[refuse_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would tell a colleague elsewhere. One per paragraph."),
    )
    outcomes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Outcomes"),
        help_text=_(
            "One per line: what was measured, a colon, the figure. "
            "E.g. “Followers gained: 17,000”."
        ),
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[("", _("Not known yet")), *Result.choices],
        required=False,
        help_text=_("Failures are worth publishing: they save others time."),
    )
    evidence = forms.ChoiceField(
        label=_("How do you know?"),
        choices=[("", _("Not stated")), *Evidence.choices],
        required=False,
    )
    event_session = SessionChoiceField(
        label=_("Conference talk"),
        queryset=EventSession.objects.filter(event__live=True)
        .select_related("event")
        .order_by("-event__start_date", "event_id", "sort_order"),
        required=False,
        empty_label=_("Not a conference write-up"),
        help_text=_("If this is a write-up of a talk, choose the event and session."),
    )
    source_event = SingleLineField(
        label=pgettext_lazy("where a case study comes from", "Source"),
        max_length=limits.SOURCE_EVENT,
        required=False,
        help_text=_("Where it was first presented or published, if not a listed talk."),
    )
    source_url = forms.URLField(
        label=_("Source link"), max_length=limits.SOURCE_URL, required=False, assume_scheme="https"
    )
    authors = forms.CharField(
        required=False,
        label=_("Authors"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names to credit, one per line."),
    )

    def __init__(self, *args, user, sending=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.sending = sending
        stored = self.initial.get("language") or ""
        self.fields["language"].choices = language_choices(keep=stored)
        if not stored:  # a new contribution: most members write in the language they read in
            reading = (get_language() or "en").split("-")[0]
            offered = {
                code
                for _group, options in self.fields["language"].choices
                for code, _name in options
            }
            if reading in offered:
                self.fields["language"].initial = reading
        self.fields["themes"].label_from_instance = lambda theme: theme.display_name
        self.images: dict[str, object] = {}
        self.images_gone: set[str] = set()
        for slot in IMAGE_SLOTS:
            self.fields[slot.file] = ImageFileField(
                label=_("Image file"),
                required=False,
                help_text=_("JPEG, PNG, WebP or GIF, up to 10 MB. Location data is removed."),
            )
            # Read from the data in __init__, never cleaned: whatever it holds, a token this
            # member was not given names no image.
            self.fields[slot.kept] = forms.Field(required=False, widget=forms.HiddenInput)
            self.fields[slot.remove] = forms.BooleanField(
                label=_("Remove this image"), required=False
            )
            # Not "required" for the form (no image, no description), so the label says when.
            self.fields[slot.alt] = SingleLineField(
                label=_("Description of the image"),
                max_length=limits.ALT_TEXT,
                required=False,
                help_text=_(
                    "What it shows, for people who cannot see it, e.g. “Poster: missing "
                    "person appeal, with photograph and phone number”."
                ),
            )
            self.fields[slot.alt].needed_when = _("needed with an image")
            if slot.caption_field:
                self.fields[slot.caption_field] = SingleLineField(
                    label=_("Caption"),
                    max_length=limits.CAPTION,
                    required=False,
                    help_text=_("Shown under the image, e.g. who made it or when."),
                )
            kept = self.data.get(slot.kept) if self.is_bound else self.initial.get(slot.kept)
            image_id = token_image_id(kept, user) if isinstance(kept, str) and kept else None
            image = get_image_model().objects.filter(pk=image_id).first() if image_id else None
            if image is not None:
                self.images[slot.name] = image
            elif image_id is not None:
                self.images_gone.add(slot.name)
        self._limit_lengths_openly()

    def _limit_lengths_openly(self) -> None:
        """No field cuts what is typed or pasted at its limit (a maxlength attribute does,
        silently): the server refuses over-long text with a message saying the limit and
        keeps the text to shorten, and the fields in COUNTED count down as the member types
        (with JavaScript)."""
        for name, field in self.fields.items():
            limit = getattr(field, "max_length", None)
            if not limit:
                continue
            field.widget.attrs.pop("maxlength", None)
            field.error_messages["max_length"] = TOO_LONG
            if name in COUNTED:
                one_line = isinstance(field, SingleLineField)
                field.widget.attrs.update(counted_attrs(limit, COUNTED[name], one_line))

    def full_clean(self):
        # A draft defers every required field but the title, for this cleaning only (as
        # Wagtail's defer_required_fields does), so the form still marks what sending needs.
        optional = {} if self.sending else {n: f for n, f in self.fields.items() if n != "title"}
        deferred = [field for field in optional.values() if field.required]
        for field in deferred:
            field.required = False
        try:
            super().full_clean()
        finally:
            for field in deferred:
                field.required = True
        announce_errors(self)

    def organisation_options(self) -> list[tuple[str, str]]:
        """The known organisations' names and aliases, offered as the member types."""
        return Organisation.objects.suggestions()

    def error_summary(self) -> list[dict]:
        """Each error as {"href", "label", "message"}, in the form's order: the summary at
        the top of the form links every message to the box that needs changing."""
        items = [
            {"href": "", "label": "", "message": message} for message in self.non_field_errors()
        ]
        for name, field in self.fields.items():
            if name not in self.errors or name == HONEYPOT_FIELD:
                continue
            bound = self[name]
            label = field.label or name.replace("_", " ").capitalize()
            slot = next((sl for sl in IMAGE_SLOTS if name.startswith(f"{sl.name}_")), None)
            if slot is not None:
                label = f"{slot.label}: {label}"
            for error in self.errors.as_data()[name]:
                # Groups of boxes (themes, the date) have no one id for a label: the box the
                # problem is in (PartialDateField.part_of), else the first.
                part = getattr(field, "part_of", {}).get(error.code, 0)
                target = bound.id_for_label or f"{bound.auto_id}_{part}"
                for message in error:
                    items.append({"href": f"#{target}", "label": label, "message": message})
        return items

    def images_refused(self) -> int:
        """How many images chosen in this post were refused (or, chosen earlier, are no
        longer kept): the summary must not then say that every image was kept."""
        return sum(slot.file in self.errors for slot in IMAGE_SLOTS)

    def error_count_text(self) -> str:
        count = len(self.error_summary())
        return ngettext("There is %(count)s problem", "There are %(count)s problems", count) % {
            "count": count
        }

    def date_parts(self) -> list[tuple]:
        """[(label, bound subwidget)] of the case date's three boxes (the hint says that
        the year is enough)."""
        parts = part_widgets(self["case_date"])
        return [(label, part) for (_name, label), part in zip(PARTS, parts, strict=True)]

    def more_images_open(self) -> bool:
        """The second and third images start folded away, unless one is in use."""
        for slot in IMAGE_SLOTS[1:]:
            names = (slot.file, slot.alt, slot.caption_field)
            if slot.name in self.images or any(name in self.errors for name in names):
                return True
            if self.is_bound and any(self.data.get(name) for name in names[1:]):
                return True
        return False

    def image_slots(self):
        """[(slot, bound fields, kept image)] for the template."""
        return [
            {
                "slot": slot,
                "file": self[slot.file],
                "kept": self[slot.kept],
                "remove": self[slot.remove],
                "alt": self[slot.alt],
                "caption": self[slot.caption_field] if slot.caption_field else None,
                "image": self.images.get(slot.name),
            }
            for slot in IMAGE_SLOTS
        ]

    def clean_body(self):
        body = normalise_text(self.cleaned_data["body"])
        if not body and self.sending:
            raise ValidationError(_("Tell the story: what happened, and what you did."))
        return body

    def clean_lessons_worked(self):
        return parse_lessons(self.cleaned_data["lessons_worked"])

    def clean_lessons_challenge(self):
        return parse_lessons(self.cleaned_data["lessons_challenge"])

    def clean_lessons_advice(self):
        return parse_lessons(self.cleaned_data["lessons_advice"])

    def clean_outcomes(self):
        return parse_outcomes(self.cleaned_data.get("outcomes", ""))

    def clean_authors(self):
        names = [single_line(n) for n in self.cleaned_data.get("authors", "").splitlines()]
        names = [n for n in names if n]
        if any(len(n) > limits.AUTHOR for n in names):
            raise ValidationError(
                _("Each name can be at most %(most)s characters."), params={"most": limits.AUTHOR}
            )
        _too_many(names, limits.AUTHORS, TOO_MANY_NAMES)
        return names

    def clean(self):
        cleaned = super().clean()
        if HONEYPOT_FIELD in self.errors:
            return cleaned  # a bot: store none of its files
        data = self.data.copy() if self.is_bound else None
        for slot in IMAGE_SLOTS:
            self._clean_image(slot, cleaned)
            image = self.images.get(slot.name)
            if data is not None:
                # Re-displayed forms carry the stored image, not the file, so nothing is lost.
                data[slot.kept] = image_token(image, self.user) if image else ""
                data[slot.remove] = ""
            if image and self.sending and not cleaned.get(slot.alt):
                self.add_error(slot.alt, _("Describe this image for people who cannot see it."))
        if data is not None:
            self.data = data
        return cleaned

    def _clean_image(self, slot, cleaned) -> None:
        """The slot's image after this post: kept, removed, or replaced by a new upload,
        which is stored only within the member's allowance and if it passes the checks."""
        kept = self.images.get(slot.name)
        if cleaned.get(slot.remove) and kept is not None:
            del self.images[slot.name]
            discard_pending(kept, self.user)
            kept = None
        upload = cleaned.get(slot.file)
        if upload:
            try:
                self.images[slot.name] = store_upload(
                    upload, self.user, alt=cleaned.get(slot.alt) or "", replacing=kept
                )
            except ValidationError as error:
                self.add_error(slot.file, error)
        elif slot.name in self.images_gone and not cleaned.get(slot.remove):
            self.add_error(slot.file, IMAGE_GONE)

    # Between the form and the page.

    @staticmethod
    def initial_from_profile(user) -> dict:
        """A new contribution starts with the organisation and country of the member's
        profile, which they can change."""
        from commonground.members.models import MemberProfile

        profile = MemberProfile.objects.filter(user=user).first()
        if profile is None:
            return {}
        initial = {"organisation": profile.organisation}
        if profile.country:
            initial["country"] = profile.country.code
        return {key: value for key, value in initial.items() if value}

    @classmethod
    def initial_from_page(cls, page, user) -> dict:
        """The form's values for an existing contribution (its latest revision)."""
        lessons = {field: [] for field in LESSON_FIELDS.values()}
        for block in page.lessons:
            lessons[LESSON_FIELDS[block.block_type]].append(block.value)
        text, figures = [], []
        for block in page.body:
            if block.block_type == "paragraph":
                text.append(html_to_text(block.value.source))
            elif block.block_type == "image" and block.value.get("image"):
                figures.append(block.value)
        initial = {
            "title": page.title,
            "summary": page.summary,
            "organisation": page.organisation.name if page.organisation_id else "",
            "country": page.country.code if page.country else "",
            "case_date": PartialDate(page.case_date, page.case_date_precision)
            if page.case_date
            else None,
            "themes": list(page.themes.all()),
            "platforms": list(page.platforms.all()),
            "proposed_platform": page.proposed_platform,
            "language": page.language,
            "body": "\n\n".join(t for t in text if t),
            **{field: "\n\n".join(texts) for field, texts in lessons.items()},
            "outcomes": "\n".join(
                f"{b.value['label']}: {b.value['value']}" for b in page.outcomes
            ),
            "result": page.result,
            "evidence": page.evidence,
            "event_session": page.event_session_id,
            "source_event": page.source_event,
            "source_url": page.source_url,
            "authors": "\n".join(page.author_names),
        }
        if page.hero_image_id:
            initial["hero_kept"] = image_token(page.hero_image, user)
            initial["hero_alt"] = page.hero_alt
            initial["hero_caption"] = page.hero_caption
        for slot, figure in zip(IMAGE_SLOTS[1:], figures, strict=False):
            initial[slot.kept] = image_token(figure["image"], user)
            initial[slot.alt] = figure["alt_text"]
            initial[slot.caption_field] = figure.get("caption", "")
        return initial

    def apply_to(self, page) -> None:
        """Copy the cleaned values onto a case study page (not saved)."""
        from wagtail.rich_text import RichText

        data = self.cleaned_data
        page.title = data["title"]
        page.draft_title = data["title"]
        page.summary = data["summary"]
        name = data["organisation"]
        page.organisation = self._organisation(name, data["country"]) if name else None
        page.country = data["country"]
        when = data["case_date"]
        page.case_date = when.date if when else None
        page.case_date_precision = when.precision if when else DatePrecision.DAY
        page.language = data["language"] or "en"
        body = [("paragraph", RichText(paragraph_to_html(p))) for p in paragraphs(data["body"])]
        for slot in IMAGE_SLOTS[1:]:  # the main image is the page's hero, not a figure
            image = self.images.get(slot.name)
            if image:
                figure = {
                    "image": image,
                    "alt_text": data[slot.alt],
                    "caption": data.get(slot.caption_field, ""),
                }
                body.append(("image", figure))
        page.body = body
        page.lessons = [
            (kind, text) for kind, field in LESSON_FIELDS.items() for text in data[field]
        ]
        page.outcomes = [
            ("outcome", {"label": lab, "value": val}) for lab, val in data["outcomes"]
        ]
        page.result = data["result"]
        page.evidence = data["evidence"]
        session = data["event_session"]
        page.event_session = session
        page.source_event = data["source_event"] or (session.event.title if session else "")
        page.source_url = data["source_url"] or (session.event.website if session else "")
        page.authors = [("author", name) for name in data["authors"]]
        hero = self.images.get("hero")
        page.hero_image = hero
        page.hero_alt = data["hero_alt"] if hero else ""
        page.hero_caption = data["hero_caption"] if hero else ""
        # Parental many-to-many fields are kept on the page (and in its revisions) until saved.
        page.themes = list(data["themes"])
        page.platforms = list(data["platforms"])
        page.proposed_platform = data.get("proposed_platform", "")

    @staticmethod
    def _organisation(name: str, country: str) -> Organisation:
        """The organisation the member means: one whose name or alias matches whatever
        the case and spacing (Organisation.objects.matching), or else a new one. A new one
        is a proposal: it is public only once a moderator publishes a case naming it
        (OrganisationQuerySet.public). Locked until the draft is saved, so the clean-up
        cannot remove it in between; when another member's draft creates the same name at
        the same moment, theirs is used."""
        existing = Organisation.objects.select_for_update().matching(name)
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return Organisation.objects.create(name=name, country=country)
        except IntegrityError:
            existing = Organisation.objects.select_for_update().matching(name)
            if existing is None:
                raise
            return existing
