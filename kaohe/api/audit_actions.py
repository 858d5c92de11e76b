"""Audit action names of the API app."""

TOKEN_CREATE = "api.token.create"  # noqa: S105 - an action name
TOKEN_REVOKE = "api.token.revoke"  # noqa: S105 - an action name
SCORES_BULK = "api.scores.bulk"
