"""Audit action names of the api app: one place, so a typo cannot invent an action."""

AUDIT_EXPORT = "audit.export"
SCORES_BULK = "api.scores.bulk"
TOKEN_CREATE = "api.token.create"
TOKEN_REVOKE = "api.token.revoke"
