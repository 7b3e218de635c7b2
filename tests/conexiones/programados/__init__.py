"""Scheduled and temporary bandwidth changes (AjusteProgramado); times in the site's zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

LIMA = ZoneInfo("America/Lima")
JUEVES = datetime(2030, 6, 13, 18, 0, tzinfo=LIMA)  # where the clock stands by default
VIERNES = JUEVES + timedelta(days=1)
LUNES = datetime(2030, 6, 17, 8, 0, tzinfo=LIMA)
