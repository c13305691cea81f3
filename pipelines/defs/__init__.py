"""Dagster wiring: assets, checks, sensors, schedules and resources. No pipeline logic lives here."""
