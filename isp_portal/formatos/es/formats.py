# Django's formats for Spanish as the site writes them (see isp_portal.formatos): what the
# admin lists and `{{ value }}` of a date show.
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
THOUSAND_SEPARATOR = "\u202f"
