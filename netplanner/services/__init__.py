"""Use cases: importers, geocoding, planning, venues, calendar, debrief, demo."""
