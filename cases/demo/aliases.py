"""Other names people search for the demo library's organisations (and a few other
well-known forces), set on Organisation.aliases by the demo loader and, for a library that
already holds them, by migration cases 0014."""

ALIASES = {
    "Greater Manchester Police": ["GMP"],
    "Metropolitan Police Service": ["the Met", "Met Police", "Metropolitan Police", "MPS"],
    "New York City Police Department": ["NYPD", "New York Police Department"],
    "Royal Canadian Mounted Police": ["RCMP", "Mounties", "GRC"],
    "Police Service of Northern Ireland": ["PSNI"],
    "Queensland Police Service": ["QPS", "Queensland Police"],
    "Victoria Police": ["VicPol"],
    "Boston Police Department": ["BPD", "Boston Police"],
    "Toronto Police Service": ["TPS", "Toronto Police"],
    "Vancouver Police Department": ["VPD", "Vancouver Police"],
    "Seattle Police Department": ["SPD", "Seattle Police"],
    "Dallas Police Department": ["DPD", "Dallas Police"],
    "Minneapolis Police Department": ["MPD", "Minneapolis Police"],
    "Polizeipräsidium München": ["Polizei München", "Munich Police"],
    "Politie Nederland": ["Dutch Police", "Nationale Politie", "Politie"],
    "Policía Nacional": ["Spanish National Police", "CNP"],
    "Police fédérale belge": ["Belgian Federal Police", "Federale Politie"],
    "An Garda Síochána": ["Garda", "Gardaí", "Irish Police"],
    "New Zealand Police": ["NZ Police"],
    "Polizei Berlin": ["Berlin Police"],
    "Polizei Hamburg": ["Hamburg Police"],
    "Derbyshire Constabulary": ["Derbyshire Police"],
    "Police Scotland": ["PS"],
    "West Midlands Police": ["WMP"],
    "Los Angeles Police Department": ["LAPD"],
    "Ontario Provincial Police": ["OPP"],
}


def apply_aliases(organisations) -> int:
    """Give each named organisation without aliases its known ones; how many changed.
    `organisations`: the Organisation model (or its historical version in a migration)."""
    changed = 0
    for organisation in organisations.objects.filter(name__in=ALIASES, aliases=""):
        organisation.aliases = "\n".join(ALIASES[organisation.name])
        organisation.save()
        changed += 1
    return changed
