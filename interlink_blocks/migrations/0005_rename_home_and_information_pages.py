"""Interlink's own page models get names a host site does not use.

Every site made with ``wagtail start`` has a ``home.HomePage``; two models named
``HomePage`` give ``Page`` two reverse accessors called ``homepage`` (fields.E304/E305).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interlink_blocks", "0004_fragmentgeneration_translated_names"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RenameModel("HomePage", "MunicipalityHomePage"),
        migrations.RenameModel("StandardPage", "InformationPage"),
        migrations.AlterModelOptions(
            name="municipalityhomepage", options={"verbose_name": "municipality home page"}
        ),
        migrations.AlterModelOptions(
            name="informationpage", options={"verbose_name": "information page"}
        ),
    ]
