"""“We tried this too”: members record that their force tried a case (cases/models/
replications.py). This package holds the rules: the daily allowance, the decisions and what
they set off (the member's e-mail, the case's search entry), and the evidence trail."""
