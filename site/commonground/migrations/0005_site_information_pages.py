"""Creates the site's information pages beside About: terms of use, privacy notice, content
licence, who may join and contact. Editable StandardPages; a page whose slug already exists
under the home page is left as it is, so running this again, or on a site whose editors
made their own, changes nothing."""

import uuid

from django.db import migrations

H = "heading"
P = "paragraph"

PAGES = [
    (
        "terms",
        "Terms of use",
        "The rules for reading and contributing to Common Ground, in plain words.",
        [
            (H, "Reading"),
            (
                P,
                "<p>Anyone may read the library without an account. Case texts may be reused "
                'under the <a href="/licence/">content licence</a>.</p>',
            ),
            (H, "Contributing"),
            (
                P,
                "<p>When you send a case you confirm that:</p><ul>"
                "<li>you are allowed to share it, by your organisation if it is about their work;</li>"
                "<li>it names no victim, witness, suspect or member of the public who could be "
                "identified, and holds nothing operationally sensitive, confidential or "
                "subject to legal proceedings;</li>"
                "<li>it is honest about what happened, including what did not work;</li>"
                "<li>you or your organisation may publish every image you add, and its "
                "description says what it shows.</li></ul>",
            ),
            (
                P,
                "<p>You keep the copyright in what you write. Once a case is published its text "
                'is shared under the <a href="/licence/">content licence</a>; images stay '
                "yours or your organisation's, and you allow us to show them with the case.</p>",
            ),
            (H, "Moderation"),
            (
                P,
                "<p>Moderators read every contribution before it is published. They may ask "
                "for changes, correct small errors, or decline a case, and they may withdraw a "
                "published case that breaks these terms. Tell us if you see a problem in a "
                'case: see <a href="/contact/">Contact</a>.</p>',
            ),
            (H, "Accounts"),
            (
                P,
                "<p>One account per person, in your own name; keep your password to yourself. "
                "We may suspend an account that is used to harass people, send spam or post "
                "material that breaks these terms.</p>",
            ),
            (H, "No guarantee"),
            (
                P,
                "<p>Cases are practitioners' own accounts of their work. They are not legal "
                "advice, and not the official guidance of any organisation unless a case says "
                "so. Check what matters before you rely on it.</p>",
            ),
            (P, "<p>If these terms change, this page will say what changed.</p>"),
        ],
    ),
    (
        "privacy",
        "Privacy notice",
        "What we hold about you, why, who sees it, and how to get it or delete it.",
        [
            (H, "What we hold"),
            (
                P,
                "<ul><li><b>Your account:</b> your name, e-mail address, your password (stored "
                "only as a one-way hash), when you joined and when you last signed in.</li>"
                "<li><b>Your profile:</b> the organisation, country, role, short biography "
                "and photo you choose to add.</li>"
                "<li><b>Your contributions:</b> drafts, cases you send for review, their "
                "images, and the moderators' decisions and comments on them.</li></ul>",
            ),
            (
                P,
                "<p>To stop password guessing, the address your sign-in attempts come from is "
                "counted for a few minutes and then forgotten. The server that hosts the site "
                "may keep ordinary access logs (address, time, page) for a short time to keep "
                "it secure.</p>",
            ),
            (H, "What we do not do"),
            (
                P,
                "<p>No advertising, no analytics and no trackers. The only cookies are the "
                "ones the site needs: one that keeps you signed in and one that protects forms "
                "against forgery. We do not sell or share your data. A case that embeds a "
                "video loads it from YouTube or Vimeo, whose own terms then apply.</p>",
            ),
            (H, "Why"),
            (
                P,
                "<p>We use your data to run the account you asked for, to show your published "
                "contributions with your name, and to keep the site secure. We e-mail you only "
                "about your account (confirming your address, resetting your password) and "
                "about your contributions (moderators' decisions). No newsletters.</p>",
            ),
            (H, "Who sees it"),
            (
                P,
                "<p>Your public profile shows your name, organisation, country, role, "
                "biography, photo and published cases. Your e-mail address is never shown on "
                "the site. Moderators and administrators see your account and your unpublished "
                "contributions so they can review them.</p>",
            ),
            (H, "Your choices"),
            (
                P,
                "<p>You can change your profile at any time, download everything we hold "
                'about you from <a href="/accounts/data/">Your data</a>, and delete your '
                'account from <a href="/accounts/delete/">Delete account</a>. When you delete '
                "it your drafts are deleted, and you choose whether your published cases stay "
                "(credited to \u201ca former member\u201d) or are withdrawn. For anything else, "
                '<a href="/contact/">contact us</a>.</p>',
            ),
        ],
    ),
    (
        "licence",
        "Content licence",
        "Case texts may be reused freely with credit; images belong to their owners.",
        [
            (H, "Case texts: CC BY 4.0"),
            (
                P,
                "<p>The texts of the case studies on Common Ground are licensed under the "
                '<a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons '
                "Attribution 4.0 International licence (CC BY 4.0)</a>. You may copy, share "
                "and adapt them, for any purpose, as long as you give credit and say if you "
                "changed anything.</p>",
            ),
            (
                P,
                "<p>To give credit, name the organisation, the case's title, Common Ground "
                "and the case's address. Every case page has a ready-made citation under "
                "\u201cCite this case\u201d.</p>",
            ),
            (H, "Images"),
            (
                P,
                "<p>Images, logos and screenshots of posts stay with their owners and are not "
                "covered by this licence unless the case says otherwise. Ask the owner before "
                "reusing one.</p>",
            ),
        ],
    ),
    (
        "who-may-join",
        "Who may join",
        "Reading needs no account. Joining lets you contribute cases.",
        [
            (
                P,
                "<p>Common Ground is for people who run social media and communication for "
                "police and law-enforcement organisations, in any country: press officers, "
                "social media and digital teams, officers who post for their force, and the "
                "people who train or advise them.</p>",
            ),
            (
                P,
                "<p>Researchers and partner organisations who work with them are welcome if "
                "they have cases to share.</p>",
            ),
            (H, "What we ask"),
            (
                P,
                "<ul><li>Join in your own name, with one account per person.</li>"
                "<li>Confirm your e-mail address; a work address helps moderators know who "
                "you are, but is not required.</li>"
                '<li>Follow the <a href="/terms/">terms of use</a>.</li></ul>',
            ),
            (
                P,
                "<p>Moderators review every contribution before it is published, whoever sends "
                "it.</p>",
            ),
        ],
    ),
    (
        "contact",
        "Contact",
        "Questions about a case, your account or your data: write to the Common Ground team.",
        [
            (
                P,
                "<p>Tell us which case or page you mean (its address helps). We read every "
                "message, and answer as soon as we can.</p>",
            ),
            (
                P,
                "<ul><li>To correct a case you contributed, use \u201cMy submissions\u201d.</li>"
                "<li>To report a problem in someone else's case, or ask for a case to be taken "
                "down, write to us with the reason.</li>"
                '<li>For your own data, see the <a href="/privacy/">privacy notice</a>.</li>'
                "</ul>",
            ),
        ],
    ),
]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's default, steplen 4


def _next_step(step: str) -> str:
    number = 0
    for char in step:
        number = number * 36 + ALPHABET.index(char)
    number += 1
    out = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        out = ALPHABET[digit] + out
    return out


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    StandardPage = apps.get_model("commonground.StandardPage")

    home = Page.objects.filter(depth=2, content_type__app_label="commonground").first()
    if home is None:
        return
    children = Page.objects.filter(depth=3, path__startswith=home.path)
    taken = set(children.values_list("slug", flat=True))
    last = children.order_by("-path").values_list("path", flat=True).first()
    step = last[-4:] if last else "0000"
    content_type = ContentType.objects.get_for_model(StandardPage)
    for slug, title, intro, body in PAGES:
        if slug in taken:
            continue
        step = _next_step(step)
        StandardPage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=home.path + step,
            depth=3,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            locale_id=home.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            intro=intro,
            body=[
                {
                    "type": kind,
                    "value": {"text": value, "level": "h2"} if kind == H else value,
                    "id": str(uuid.uuid4()),
                }
                for kind, value in body
            ],
        )
    home.numchild = Page.objects.filter(depth=3, path__startswith=home.path).count()
    home.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [("commonground", "0004_no_document_permissions")]
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
