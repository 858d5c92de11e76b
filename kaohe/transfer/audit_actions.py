"""Audit action names of the transfer app: one place, so a typo cannot invent an action."""

TRANSFER_INDICATORS_IMPORT = "transfer.indicators_import"
TRANSFER_RESPONSIBILITY_RESOLVE = "transfer.responsibility_resolve"
TRANSFER_SCORES_IMPORT = "transfer.scores_import"
TRANSFER_UNITS_IMPORT = "transfer.units_import"
UNIT_ALIAS_DELETE = "unit_alias.delete"
UNIT_ALIAS_SAVE = "unit_alias.save"
