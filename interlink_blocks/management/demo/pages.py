"""Valmora's home, index, about, accessibility and story pages."""

from .blocks import contact, faq, heading, key_figures, paragraph

SITE_NAME = "City of Valmora"
SITE_NAME_TRANSLATED = {
    "es": "Ciudad de Valmora",
    "it": "Città di Valmora",
    "lv": "Valmoras pilsēta",
}

HOME = {
    "slug": "valmora",
    "title": "Co-producing Valmora's public services",
    "intro": (
        "<p>Valmora designs its public services with the people who use them. Take part in an "
        "open call, reuse what we have built, or read how earlier calls turned out.</p>"
    ),
}

INDEXES = {
    "calls": {
        "title": "Co-production calls",
        "intro": "<p>Calls to help design, build or run a public service in Valmora.</p>",
    },
    "assets": {
        "title": "Reusable assets",
        "intro": (
            "<p>Guides, templates, software and data from our calls, licensed so that other "
            "administrations can reuse them.</p>"
        ),
    },
    "stories": {
        "title": "Success stories",
        "intro": "<p>What completed calls changed, and what they left for others to reuse.</p>",
    },
}

ABOUT = {
    "slug": "about",
    "title": "About co-production in Valmora",
    "intro": (
        "<p>Since 2024 every new or redesigned public service in Valmora starts with a "
        "co-production call.</p>"
    ),
    "body": [
        heading("How a call works"),
        paragraph(
            "<p>Each call follows the four phases of the INTERLINK co-production schema: "
            "<b>Engage</b> the people concerned, <b>Design</b> the service together, "
            "<b>Build</b> and deliver it with partners, and <b>Sustain</b> it once it runs. "
            "Every call page shows which phase it is in and what comes next.</p>"
        ),
        key_figures(
            "Co-production in Valmora",
            [("142,000", "residents"), ("5", "districts"), ("8", "calls since 2024")],
        ),
        faq(
            "Frequently asked questions",
            [
                (
                    "Who can take part in a call?",
                    "<p>Each call says who it is for: residents, businesses, city staff or "
                    "non-profit organisations. Most calls welcome everyone who lives or works in "
                    "Valmora.</p>",
                ),
                (
                    "Can other cities reuse what we build?",
                    "<p>Yes. Guides, templates, software and data are published as reusable assets "
                    "with an open licence wherever the law allows.</p>",
                ),
            ],
        ),
        contact(
            "Citizen Participation Office",
            role="City of Valmora",
            email="participation@valmora.example",
            phone="+39 0555 210 400",
            address="Piazza del Municipio 1, Valmora\nMonday to Friday, 9:00–13:00",
        ),
    ],
}

ACCESSIBILITY = {
    "slug": "accessibility",
    "title": "Accessibility statement",
    "intro": (
        "<p>The City of Valmora wants everyone to be able to use this website, including "
        "people who use a screen reader, a keyboard or magnification.</p>"
    ),
    "body": [
        heading("Compliance status"),
        paragraph(
            "<p>This website aims to conform with the Web Content Accessibility Guidelines "
            "(WCAG) 2.1 at level AA, as required by Directive (EU) 2016/2102. Pages work without "
            "JavaScript and follow a logical heading order.</p>"
        ),
        heading("Known limitations"),
        paragraph(
            "<ul><li>Some documents attached to reusable assets were produced by other "
            "administrations and may not be fully accessible.</li>"
            "<li>Data tables in older stories may lack a caption.</li></ul>"
        ),
        heading("Feedback and contact"),
        paragraph(
            "<p>If you find a problem or need content in another format, write to "
            "accessibility@valmora.example. We reply within ten working days.</p>"
        ),
    ],
}

PRIVACY = {
    "slug": "privacy",
    "title": "Privacy notice",
    "intro": (
        "<p>How the City of Valmora uses the personal data you give when you take part in a "
        "co-production call.</p>"
    ),
    "body": [
        heading("What we collect and why"),
        paragraph(
            "<p>When you contribute, support a call or ask to join a team, we keep your e-mail "
            "address to confirm it is you and to tell you what happened to your contribution. "
            "Your address is never published.</p>"
        ),
        heading("How long we keep it"),
        paragraph(
            "<p>We delete your address one year after your last activity, or earlier if you ask. "
            "You can download or delete your data at any time from any call page.</p>"
        ),
        heading("Your rights"),
        paragraph(
            "<p>Under the General Data Protection Regulation you may ask to see, correct or "
            "delete your data. Write to privacy@valmora.example.</p>"
        ),
    ],
}

# The contact address in the footer, in each language (Settings → Theme and brand).
TOWN_HALL = "Piazza del Municipio 1, Valmora\nMonday to Friday, 9:00–13:00"
TOWN_HALL_TRANSLATED = {
    "es": "Piazza del Municipio 1, Valmora\nDe lunes a viernes, de 9:00 a 13:00",
    "it": "Piazza del Municipio 1, Valmora\nDal lunedì al venerdì, 9:00–13:00",
    "lv": "Piazza del Municipio 1, Valmora\nNo pirmdienas līdz piektdienai 9.00–13.00",
}

STORIES = [
    {
        "slug": "quiet-rooms-after-school",
        "title": "Quiet rooms after school: 310 pupils, 38 volunteer tutors",
        "summary": (
            "Pupils asked for somewhere calm to do homework. A year later, four branch libraries "
            "host learning spaces run with parents and volunteers."
        ),
        "call": "library-learning-spaces",
        "assets": ["library-study-space-occupancy", "learning-space-setup-guide"],
        "results": [
            paragraph(
                "<p>The idea came from a pupils' survey: 41% of secondary-school pupils in San "
                "Vito and Riva Est said they had no quiet place to study at home. During the "
                "Design phase pupils tested three room layouts and chose the one with separate "
                "tables for group work.</p>"
            ),
            key_figures(
                "The first school year",
                [
                    ("310", "pupils registered"),
                    ("38", "volunteer tutors"),
                    ("92%", "of pupils would recommend it"),
                ],
            ),
            heading("What other cities can reuse"),
            paragraph(
                "<p>The set-up guide and the occupancy data are published as reusable assets. "
                "Two neighbouring municipalities have already asked for the volunteer rota.</p>"
            ),
        ],
    },
    {
        "slug": "digital-helpers-year-one",
        "title": "Neighbours helping neighbours go online",
        "summary": (
            "Twenty-seven retired residents trained as digital helpers now run nine drop-in "
            "sessions a week in community centres."
        ),
        "call": "senior-digital-helpers",
        "assets": ["digital-helpers-training"],
        "results": [
            paragraph(
                "<p>Older residents told us they preferred learning from someone their own age. "
                "The training course was written with the first helpers and revised after each "
                "group. Booking a medical appointment online is the most common request.</p>"
            ),
            key_figures("After one year", [("640", "drop-in visits"), ("27", "helpers")]),
        ],
    },
]
