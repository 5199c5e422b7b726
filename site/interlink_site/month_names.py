"""Month names in Interlink's own catalogues, so dates read naturally in every language.

Italian writes month names in lower case ("14 marzo 2031"), but Django's Italian catalogue
capitalises them. The site's catalogue (``LOCALE_PATHS``) takes precedence over Django's, so
listing the names here (extracted by ``make messages``) lets ours decide. Not imported at
run time.
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
