"""Model fields shared by Interlink pages."""

from django import forms
from django.db import models


class MultipleChoiceListField(models.JSONField):
    """A list of values from fixed choices, stored as JSON so it works on SQLite and PostgreSQL.

    The admin edits it with checkboxes; invalid values are refused by the form and by
    ``full_clean``.
    """

    def __init__(self, *args, choices_list=None, **kwargs):
        self.choices_list = list(choices_list or [])
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_list"] = self.choices_list
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices_list,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.choices_list}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                "Unknown value(s): %(values)s", params={"values": ", ".join(map(str, unknown))}
            )

    def labels(self, values):
        mapping = dict(self.choices_list)
        return [mapping.get(value, value) for value in values or []]


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out (Django 6's default).

    It deconstructs as a plain URLField, so choosing it needs no migration.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
