"""The participation certificate as a PDF, drawn with ReportLab (no HTML-to-PDF layer of ours).

It lists the processes and acknowledged contributions the ``Certificate`` row recorded, and
the public address where anyone checks that the node issued it.
"""

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Certificate, ClaimKind


def render_pdf(certificate: Certificate, verify_url: str, site_name: str) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Participation certificate"),
        author=site_name,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    date = formats.date_format(certificate.issued_at, "DATE_FORMAT")
    story = [
        Paragraph(escape(_("Participation certificate")), styles["Title"]),
        Paragraph(
            escape(
                _("%(site)s certifies that %(name)s took part in these co-production processes.")
                % {"site": site_name, "name": certificate.name}
            ),
            styles["BodyText"],
        ),
        Spacer(1, 6 * mm),
    ]
    for entry in certificate.content:
        story.append(Paragraph(escape(entry["call"]), styles["Heading2"]))
        story.append(
            Paragraph(
                escape(
                    _("Role: %(role)s, since %(since)s")
                    % {"role": entry["role"], "since": entry["since"]}
                ),
                styles["BodyText"],
            )
        )
        rows = [[_("Task"), _("Contribution"), _("Points")]]
        for item in entry["contributions"]:
            kind = (
                ClaimKind(item["kind"]).label if item["kind"] in ClaimKind.values else item["kind"]
            )
            rows.append(
                [
                    Paragraph(escape(item["task"]), styles["BodyText"]),
                    str(kind),
                    str(item["points"]),
                ]
            )
        if len(rows) > 1:
            table = Table(rows, colWidths=[95 * mm, 50 * mm, 20 * mm], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        else:
            story.append(
                Paragraph(escape(_("No acknowledged contribution yet.")), styles["Italic"])
            )
        story.append(Spacer(1, 4 * mm))
    story += [
        Spacer(1, 8 * mm),
        Paragraph(escape(_("Issued on %(date)s.") % {"date": date}), styles["BodyText"]),
        Paragraph(
            escape(_("Check this certificate at: %(url)s") % {"url": verify_url}),
            styles["BodyText"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()
