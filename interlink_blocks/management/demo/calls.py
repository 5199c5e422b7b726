"""Valmora's co-production calls: every sector, phase and status appears at least once.

Dates are days relative to the day the demo is loaded, so open calls are open.
"""

from .blocks import faq, heading, key_figures, paragraph, table

OFFICE = "Citizen Participation Office"
OFFICE_EMAIL = "participation@valmora.example"
OFFICE_PHONE = "+39 0555 210 400"

CALLS = [
    {
        "slug": "home-care-requests",
        "title": "Redesign how residents request home care",
        "summary": (
            "Asking for home care in Valmora takes four forms, two offices and an average of "
            "23 days. Help us design a request service that older residents and their families "
            "can complete in one visit or online."
        ),
        "status": "open",
        "phase": "design",
        "opens_at": -21,
        "deadline": 40,
        "started": -80,
        "participant_types": ["citizens", "non_profits", "civil_servants"],
        "governance": "citizen-sourcing",
        "sectors": ["social-health-care"],
        "life_events": ["falling-ill", "retiring"],
        "place": "Whole city",
        "contact": ("Elena Marchetti, Social Services Department", "homecare@valmora.example"),
        "how_to_contribute": (
            "<p>Join one of three design workshops at the San Vito community centre "
            "(Tuesdays, 17:30–19:30), or tell us about your experience in the online form. "
            "Family carers can take part by phone: call the number below on weekday mornings.</p>"
        ),
        "body": [
            heading("Why we are changing the service"),
            paragraph(
                "<p>In 2025 the Social Services Department received 1,840 first requests for home "
                "care. One in three was sent back because a document was missing, and families "
                "told us they did not know which office to ask. During the Engage phase we "
                "interviewed 46 residents, 12 family carers and the home-care teams of the three "
                "district health centres.</p>"
            ),
            key_figures(
                "What we heard so far",
                [
                    ("23", "days on average from first contact to a visit"),
                    ("4", "forms to fill in"),
                    ("58", "people interviewed"),
                ],
            ),
            heading("What we will design together"),
            paragraph(
                "<ul><li>a single request, on paper or online, with help at the library desks;</li>"
                "<li>a clear promise of when a nurse or social worker will call back;</li>"
                "<li>a way for family carers to follow the request without calling the office.</li></ul>"
            ),
            faq(
                "Questions about taking part",
                [
                    (
                        "Do I need to be a home-care user to take part?",
                        "<p>No. We want to hear from users, from family members and neighbours who "
                        "help, and from staff who receive the requests.</p>",
                    ),
                    (
                        "Will my personal story be published?",
                        "<p>No. Workshop notes are anonymised and kept for twelve months, as explained "
                        "in the privacy notice handed out at each session.</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "borgo-nuovo-renovation",
        "title": "Co-design the Borgo Nuovo housing renovation",
        "summary": (
            "The 312 social-housing flats of Borgo Nuovo will be insulated and fitted with heat "
            "pumps by 2028. Tenants, the housing company and local builders are shaping the works "
            "plan together so that nobody has to leave their home for more than a week."
        ),
        "status": "in_progress",
        "phase": "build",
        "opens_at": -200,
        "deadline": -120,
        "started": -260,
        "participant_types": ["citizens", "businesses", "civil_servants"],
        "governance": "public-civil-partnership",
        "sectors": ["housing-building", "environment"],
        "life_events": ["moving-house"],
        "place": "Borgo Nuovo district",
        "contact": ("Marco Ferri, Valmora Housing Company", "borgonuovo@valmora.example"),
        "how_to_contribute": (
            "<p>Tenant representatives meet the works team on the first Monday of each month in "
            "the Via dei Tigli common room. Minutes are posted in every stairwell.</p>"
        ),
        "body": [
            heading("Where we are"),
            paragraph(
                "<p>The works plan agreed with tenants in the Design phase is now being carried "
                "out. Block C was finished in March with an average of four days of work inside "
                "each flat. Blocks A and B follow this year.</p>"
            ),
            table(
                "Renovation schedule by block",
                ["Block", "Flats", "Works inside each flat", "Status"],
                [
                    ["A", "104", "5 days", "Starting in September"],
                    ["B", "96", "4 days", "Scaffolding up"],
                    ["C", "112", "4 days", "Finished"],
                ],
            ),
        ],
    },
    {
        "slug": "youth-job-desk",
        "title": "A neighbourhood job desk for young people",
        "summary": (
            "One in five people aged 18–24 in Riva Est is neither working nor studying. We are "
            "looking for young residents, employers and youth organisations to shape a job desk "
            "that meets them where they already are."
        ),
        "status": "open",
        "phase": "engage",
        "opens_at": -7,
        "deadline": 60,
        "started": -20,
        "participant_types": ["citizens", "businesses", "non_profits"],
        "governance": "citizen-sourcing",
        "sectors": ["employment"],
        "life_events": ["looking-for-work"],
        "place": "Riva Est",
        "contact": ("Giulia Bassi, Employment and Skills Service", "lavoro@valmora.example"),
        "how_to_contribute": (
            "<p>Come to the open evening at the Riva Est youth centre, answer the short survey, "
            "or, if you are an employer, offer a work-shadowing day.</p>"
        ),
        "body": [
            paragraph(
                "<p>The regional employment office is in the city centre, forty minutes by bus "
                "from Riva Est. Youth workers tell us that young people rarely go there twice. "
                "Before deciding what a local desk should offer, we want to understand who it is "
                "for and which partners can staff it.</p>"
            ),
        ],
    },
    {
        "slug": "library-learning-spaces",
        "title": "After-school learning spaces in public libraries",
        "summary": (
            "Pupils without a quiet place to study now have one in four branch libraries, "
            "with volunteer tutors on weekday afternoons. The service was designed with pupils, "
            "parents, teachers and librarians."
        ),
        "status": "completed",
        "phase": "sustain",
        "opens_at": -540,
        "deadline": -480,
        "started": -600,
        "completed": True,
        "participant_types": ["citizens", "civil_servants", "non_profits"],
        "governance": "public-civil-partnership",
        "sectors": ["education", "culture-leisure"],
        "life_events": ["starting-school"],
        "place": "Four branch libraries",
        "contact": ("Chiara Conti, Valmora Public Libraries", "biblioteche@valmora.example"),
        "how_to_contribute": "<p>The call is completed. Volunteer tutors can still sign up at any branch.</p>",
        "body": [
            paragraph(
                "<p>The learning spaces opened in September and are now run by the libraries "
                "with the Parents' Association of Valmora and two volunteer organisations.</p>"
            ),
            key_figures(
                "First school year",
                [
                    ("4", "branch libraries"),
                    ("310", "pupils registered"),
                    ("38", "volunteer tutors"),
                ],
            ),
        ],
    },
    {
        "slug": "participatory-budget-2027",
        "title": "Participatory budget 2027: €1.2 million for your district",
        "summary": (
            "Propose a project for your district, help turn proposals into costed plans, and "
            "vote in May. Everyone aged 14 or over who lives, works or studies in Valmora can "
            "take part."
        ),
        "status": "open",
        "phase": "design",
        "opens_at": -14,
        "deadline": 75,
        "started": -60,
        "participant_types": ["citizens", "non_profits"],
        "governance": "citizen-sourcing",
        "sectors": ["democracy-participation"],
        "life_events": [],
        "place": "All five districts",
        "contact": (OFFICE, OFFICE_EMAIL),
        "how_to_contribute": (
            "<p>Submit a proposal online or on paper at any district office. District assemblies "
            "then check feasibility with city engineers before the vote.</p>"
        ),
        "body": [
            table(
                "Budget per district",
                ["District", "Budget"],
                [
                    ["Centro Storico", "€180,000"],
                    ["San Vito", "€260,000"],
                    ["Borgo Nuovo", "€280,000"],
                    ["Riva Est", "€300,000"],
                    ["Colle Alto", "€180,000"],
                ],
            ),
            faq(
                "How the participatory budget works",
                [
                    (
                        "What kind of project can I propose?",
                        "<p>Anything the city can build or run within a year for up to €150,000: "
                        "a playground, a cycle path, a community garden, a repair café.</p>",
                    ),
                    (
                        "How is the vote organised?",
                        "<p>Online and at polling desks in every district library during two weeks "
                        "in May. Each person has three votes.</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "digital-renovation-permits",
        "title": "Simple digital permits for small renovations",
        "summary": (
            "Replacing windows or a boiler should not need three visits to the town hall. "
            "Architects, builders and homeowners told us what the online permit must do; the "
            "specification is now with the IT department."
        ),
        "status": "closed",
        "phase": "design",
        "opens_at": -150,
        "deadline": -30,
        "started": -180,
        "participant_types": ["citizens", "businesses", "civil_servants"],
        "governance": "government-as-platform",
        "sectors": ["housing-building"],
        "life_events": ["moving-house"],
        "place": "Whole city",
        "contact": ("Paolo Greco, Building Permits Office", "permessi@valmora.example"),
        "how_to_contribute": "<p>Contributions closed on the deadline. Thank you to the 74 people who took part.</p>",
        "body": [
            paragraph(
                "<p>We received 112 comments on the draft online form. The most requested "
                "change was a way to save a half-finished application and let the architect "
                "complete it.</p>"
            ),
        ],
    },
    {
        "slug": "newcomers-welcome",
        "title": "Neighbours welcoming newcomers",
        "summary": (
            "An idea from residents of Colle Alto: volunteers who moved to Valmora themselves "
            "help new arrivals with registration, school enrolment and finding a doctor."
        ),
        "status": "draft_idea",
        "phase": "engage",
        "opens_at": 30,
        "deadline": 120,
        "started": 0,
        "participant_types": ["citizens", "non_profits"],
        "governance": "citizen-to-citizen",
        "sectors": ["social-health-care", "democracy-participation"],
        "life_events": ["arriving-in-the-country", "moving-house"],
        "place": "Colle Alto",
        "contact": (OFFICE, OFFICE_EMAIL),
        "how_to_contribute": "<p>The call opens next month. Write to us if you would like to help prepare it.</p>",
        "body": [
            paragraph(
                "<p>Three residents' associations proposed this idea at the spring district "
                "assembly. Before opening the call we are checking, with the Registry Office, "
                "which steps volunteers can help with and which need an official.</p>"
            ),
        ],
    },
    {
        "slug": "senior-digital-helpers",
        "title": "Senior digital helpers: residents teaching residents",
        "summary": (
            "Retired residents trained as digital helpers now run weekly drop-in sessions where "
            "older people learn to book appointments, pay bills and video-call family."
        ),
        "status": "completed",
        "phase": "sustain",
        "opens_at": -420,
        "deadline": -365,
        "started": -480,
        "completed": True,
        "participant_types": ["citizens", "non_profits", "civil_servants"],
        "governance": "citizen-to-citizen",
        "sectors": ["education", "social-health-care"],
        "life_events": ["retiring"],
        "place": "Community centres in all districts",
        "contact": (OFFICE, OFFICE_EMAIL),
        "how_to_contribute": "<p>The call is completed. New helpers can join the next training course.</p>",
        "body": [
            key_figures(
                "After one year",
                [("27", "trained helpers"), ("640", "drop-in visits"), ("9", "sessions a week")],
            ),
        ],
    },
]
