"""Demo questions and answers on a few demo cases, loaded by load_demo (through its
"load_demo" hook); a second run changes nothing. The demo members have no usable password
and addresses at the reserved .example domain; one is at a listed practitioner domain."""

from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.db import transaction

from cases.models import CaseStudyPage
from commonground.discussion.models import Post, PractitionerDomain
from commonground.members.models import MemberProfile
from commonground.members.profiles import create_profile

DEMO_DOMAIN = "police.example"
MEMBERS = {
    "sam": ("sam.okafor@comms.police.example", "Sam Okafor", "Digital engagement officer"),
    "ines": ("ines.vidal@ayuntamiento.example", "Inés Vidal", "Communications adviser"),
    "pieter": ("pieter.dekker@newsroom.example", "Pieter Dekker", "Press officer"),
}
# (case, asker, question, [(answerer, answer)])
THREADS = [
    (
        "gmp-24-hour-tweetathon-2010",
        "ines",
        "How many people did you need on shift to tweet every call for 24 hours?\n"
        "We are a small team and wonder whether a 12-hour version would still make the point.",
        [
            (
                "sam",
                "We ran something similar for 12 hours with two people per shift and a "
                "duty inspector to check anything sensitive. The shorter day still got "
                "coverage; what mattered was saying in advance what people would see.",
            ),
        ],
    ),
    (
        "oslo-police-operations-twitter-humour-2013",
        "pieter",
        "Did the humour ever cause trouble, for example when a serious incident came "
        "straight after a light post?",
        [
            (
                "sam",
                "It can. We agreed a simple rule: no jokes while a serious incident is "
                "running, and the duty officer can pause the account's light posts.",
            ),
            (
                "ines",
                "The same rule worked for us. We also kept a short list of subjects that are "
                "never joked about.",
            ),
        ],
    ),
    (
        "dallas-police-misidentified-suspect-2016",
        "sam",
        "Is there a checklist anyone uses before naming or showing a person of interest?",
        [],
    ),
]


def _member(key):
    email, name, role = MEMBERS[key]
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(username=f"demo-{key}", email=email, password=None)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    # Accounts made this way get a "Member <id>" profile at once: give it the demo name.
    if not MemberProfile.objects.filter(user=user, display_name=name).exists():
        create_profile(user, name)
        MemberProfile.objects.filter(user=user).update(role=role)
    return user


@transaction.atomic
def load_threads() -> str:
    PractitionerDomain.objects.get_or_create(
        domain=DEMO_DOMAIN, defaults={"note": "Demo library only"}
    )
    added = 0
    cases = {
        case.external_id: case
        for case in CaseStudyPage.objects.filter(external_id__in=[t[0] for t in THREADS])
    }
    for external_id, asker, text, answers in THREADS:
        case = cases.get(external_id)
        if case is None:
            continue
        question, created = Post.objects.get_or_create(
            case=case,
            question=None,
            author=_member(asker),
            body=text,
            defaults={"status": Post.Status.PUBLISHED},
        )
        added += created
        for answerer, answer in answers:
            added += Post.objects.get_or_create(
                case=case,
                question=question,
                author=_member(answerer),
                body=answer,
                defaults={"status": Post.Status.PUBLISHED},
            )[1]
    return f"Demo questions and answers: {added} post(s) added."
