"""Audit action names of the orgs app: one place, so a typo cannot invent an action."""

PERSON_CREATE = "person.create"
UNIT_CREATE = "unit.create"
UNIT_GROUP_SAVE = "unit_group.save"
