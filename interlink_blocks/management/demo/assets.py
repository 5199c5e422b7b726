"""Valmora's reusable service assets: every form, several licences, some with files.

``documents`` are small text files generated on load (file name, title, content);
``image`` asks for a generated illustration with the given alt text.
"""

from .blocks import heading, paragraph

PUBLISHER = "City of Valmora"

ASSETS = [
    {
        "slug": "home-care-request-blueprint",
        "title": "Home-care request service blueprint",
        "summary": (
            "The journey of a home-care request from the first phone call to the first visit, "
            "with what residents see, what staff do behind the scenes and the systems involved."
        ),
        "form": "service_blueprint",
        "licence": "CC-BY-4.0",
        "languages": ["en", "it"],
        "difficulty": "medium",
        "target_users": ["civil_servants"],
        "administrative_scope": "local",
        "version": "1.2",
        "maturity": "pilot",
        "sectors": ["social-health-care"],
        "calls": ["home-care-requests"],
        "documents": [
            (
                "home-care-blueprint.md",
                "Home-care request blueprint (Markdown)",
                "# Home-care request service blueprint\n\n"
                "| Step | Resident | Front office | Back office |\n|---|---|---|---|\n"
                "| 1 | Calls or visits a library desk | Fills in the single request | - |\n"
                "| 2 | Receives a call-back date | - | Nurse triage within 5 working days |\n"
                "| 3 | First visit | - | Care plan agreed with the family |\n",
            )
        ],
        "body": [
            paragraph(
                "<p>Drawn with residents and staff during two workshops. Use it to find the "
                "hand-overs where requests get stuck in your own organisation.</p>"
            ),
        ],
    },
    {
        "slug": "stakeholder-mapping-canvas",
        "title": "Stakeholder mapping canvas",
        "summary": (
            "A one-page canvas to list everyone a service affects, how much they are affected "
            "and how to involve them, used at the start of every Valmora co-production call."
        ),
        "form": "canvas",
        "licence": "CC-BY-SA-4.0",
        "languages": ["en", "it", "es"],
        "difficulty": "low",
        "target_users": ["civil_servants", "non_profits"],
        "administrative_scope": "eu",
        "version": "2.0",
        "maturity": "tested",
        "sectors": ["democracy-participation"],
        "calls": ["youth-job-desk", "home-care-requests"],
        "documents": [
            (
                "stakeholder-canvas.txt",
                "Stakeholder mapping canvas (printable text)",
                "STAKEHOLDER MAPPING CANVAS\n\n1. Who uses the service today?\n"
                "2. Who is affected but does not use it?\n3. Who delivers it?\n"
                "4. Who decides about it?\n5. For each: how will we involve them, and when?\n",
            )
        ],
        "body": [
            heading("How to use it"),
            paragraph(
                "<p>Print it in A1, fill it in with sticky notes during the first meeting, and "
                "photograph it for the call's page. One hour is usually enough.</p>"
            ),
        ],
    },
    {
        "slug": "legal-ethical-checklist",
        "title": "Legal and ethical checklist for co-production",
        "summary": (
            "Twenty questions to answer before inviting residents to co-produce a service: "
            "consent, minors, data protection, accessibility, reimbursements and conflicts of interest."
        ),
        "form": "checklist",
        "licence": "CC0-1.0",
        "languages": ["en"],
        "difficulty": "low",
        "target_users": ["civil_servants"],
        "administrative_scope": "eu",
        "version": "1.0",
        "maturity": "tested",
        "sectors": ["democracy-participation", "social-health-care"],
        "calls": [],
        "documents": [
            (
                "legal-ethical-checklist.txt",
                "Legal and ethical checklist (text)",
                "[ ] Is there a legal basis for processing participants' data?\n"
                "[ ] Do minors take part? If so, is parental consent collected?\n"
                "[ ] Are venues and materials accessible?\n"
                "[ ] Are participants' expenses reimbursed?\n"
                "[ ] Has every member of staff declared conflicts of interest?\n",
            )
        ],
        "body": [],
    },
    {
        "slug": "resident-experience-survey",
        "title": "Resident experience survey template",
        "summary": (
            "Twelve questions, tested with older residents and people with low literacy, to "
            "measure how a service feels before and after it is redesigned."
        ),
        "form": "survey_template",
        "licence": "CC-BY-4.0",
        "languages": ["en", "it"],
        "difficulty": "low",
        "target_users": ["civil_servants", "non_profits"],
        "administrative_scope": "local",
        "version": "1.1",
        "maturity": "pilot",
        "sectors": ["social-health-care"],
        "calls": ["home-care-requests"],
        "documents": [
            (
                "resident-survey.csv",
                "Resident experience survey questions (CSV)",
                "number,question,answer type\n1,How easy was it to find out where to ask?,scale 1-5\n"
                "2,How many times did you have to contact us?,number\n"
                "3,Did you understand what would happen next?,yes/no\n",
            )
        ],
        "body": [],
    },
    {
        "slug": "partner-data-sharing-agreement",
        "title": "Data-sharing agreement for co-production partners",
        "summary": (
            "An agreement template between the city and a non-profit partner that share "
            "participants' contact details during a co-production call."
        ),
        "form": "legal_agreement_template",
        "licence": "CC-BY-ND-4.0",
        "languages": ["en", "it"],
        "difficulty": "high",
        "target_users": ["civil_servants", "non_profits"],
        "administrative_scope": "national",
        "version": "1.0",
        "maturity": "concept",
        "sectors": ["democracy-participation"],
        "calls": [],
        "documents": [],
        "body": [
            paragraph(
                "<p>Reviewed by the city's data protection officer. Because it relies on national "
                "law, it is shared without derivatives: adapt it with your own lawyers.</p>"
            ),
        ],
    },
    {
        "slug": "participatory-budget-platform",
        "title": "Participatory budget voting platform",
        "summary": (
            "The open-source web application Valmora uses to collect proposals, publish "
            "feasibility checks and run the district vote, with paper ballots counted in."
        ),
        "form": "software",
        "licence": "AGPL-3.0-or-later",
        "languages": ["en", "it", "es", "lv"],
        "difficulty": "high",
        "target_users": ["civil_servants"],
        "administrative_scope": "local",
        "version": "3.4.1",
        "maturity": "mature",
        "sectors": ["democracy-participation"],
        "calls": ["participatory-budget-2027"],
        "documents": [],
        "source_url": "https://code.valmora.example/participation/budget-platform",
        "body": [],
    },
    {
        "slug": "home-care-eligibility-rules",
        "title": "Home-care eligibility rules engine",
        "summary": (
            "A small service that turns the home-care eligibility rules into questions a "
            "resident can answer, and tells staff which documents are still missing."
        ),
        "form": "software",
        "licence": "EUPL-1.2",
        "languages": ["en", "it"],
        "difficulty": "medium",
        "target_users": ["civil_servants"],
        "administrative_scope": "regional",
        "version": "0.9",
        "maturity": "pilot",
        "sectors": ["social-health-care"],
        "calls": ["home-care-requests"],
        "documents": [],
        "source_url": "https://code.valmora.example/social/eligibility-rules",
        "body": [],
    },
    {
        "slug": "library-study-space-occupancy",
        "title": "Library study-space occupancy, school year 2025–26",
        "summary": (
            "Daily counts of pupils using the after-school learning spaces in four branch "
            "libraries, by hour, with the number of volunteer tutors present."
        ),
        "form": "dataset",
        "licence": "ODbL-1.0",
        "languages": ["en", "it"],
        "difficulty": "low",
        "target_users": ["civil_servants", "citizens", "businesses"],
        "administrative_scope": "local",
        "version": "2026.1",
        "maturity": "mature",
        "sectors": ["education"],
        "calls": ["library-learning-spaces"],
        "documents": [
            (
                "library-occupancy.csv",
                "Library study-space occupancy (CSV)",
                "date,library,hour,pupils,tutors\n2025-10-06,San Vito,15,18,3\n"
                "2025-10-06,San Vito,16,24,3\n2025-10-06,Riva Est,15,11,2\n"
                "2025-10-06,Colle Alto,16,9,1\n",
            )
        ],
        "body": [],
    },
    {
        "slug": "learning-space-setup-guide",
        "title": "Guide to opening an after-school learning space",
        "summary": (
            "How Valmora's libraries set up quiet study rooms with volunteer tutors: rooms, "
            "opening hours, safeguarding, recruiting and thanking volunteers."
        ),
        "form": "guide",
        "licence": "CC-BY-4.0",
        "languages": ["en", "it"],
        "difficulty": "medium",
        "target_users": ["civil_servants", "non_profits"],
        "administrative_scope": "local",
        "version": "1.0",
        "maturity": "tested",
        "sectors": ["education"],
        "calls": ["library-learning-spaces"],
        "documents": [
            (
                "learning-space-guide.md",
                "Learning-space set-up guide (Markdown)",
                "# Opening an after-school learning space\n\n## Rooms\nOne quiet room for 20 "
                "pupils per branch.\n\n## Safeguarding\nEvery tutor has a background check and "
                "is never alone with a pupil.\n",
            )
        ],
        "body": [
            heading("What you need"),
            paragraph(
                "<ul><li>a room that can be booked every weekday from 15:00 to 18:30;</li>"
                "<li>at least six volunteer tutors per branch;</li>"
                "<li>a librarian who coordinates the rota.</li></ul>"
            ),
        ],
    },
    {
        "slug": "digital-helpers-training",
        "title": "Digital helpers training course",
        "summary": (
            "A six-session course that prepares retired residents to help their peers with "
            "online services, including a session on recognising scams."
        ),
        "form": "guide",
        "licence": "CC-BY-NC-4.0",
        "languages": ["en", "it"],
        "difficulty": "low",
        "target_users": ["citizens", "non_profits"],
        "administrative_scope": "local",
        "version": "2.1",
        "maturity": "tested",
        "sectors": ["education", "social-health-care"],
        "calls": ["senior-digital-helpers"],
        "documents": [
            (
                "digital-helpers-course.md",
                "Digital helpers course outline (Markdown)",
                "# Digital helpers course\n\n1. Listening before helping\n2. Booking a medical "
                "appointment\n3. Paying a bill online\n4. Video calls\n5. Recognising scams\n"
                "6. Running a drop-in session\n",
            )
        ],
        "body": [],
    },
    {
        "slug": "co-design-workshop-guide",
        "title": "Running a neighbourhood co-design workshop",
        "summary": (
            "A facilitator's guide for a two-hour workshop where residents and staff design "
            "a local service together, with timings, materials and an accessibility checklist."
        ),
        "form": "guide",
        "licence": "CC-BY-SA-4.0",
        "languages": ["en", "es"],
        "difficulty": "medium",
        "target_users": ["civil_servants", "non_profits"],
        "administrative_scope": "eu",
        "version": "1.3",
        "maturity": "tested",
        "sectors": ["democracy-participation", "housing-building"],
        "calls": ["borgo-nuovo-renovation", "digital-renovation-permits"],
        "documents": [],
        "body": [],
    },
]
