# Italian writes "4 marzo 2031", without Django's leading zero ("04 marzo 2031").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
