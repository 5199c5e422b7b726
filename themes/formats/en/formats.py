# EU institutions' English: "14 March 2031" (day first), not Django's US "March 14, 2031".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
