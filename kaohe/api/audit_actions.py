"""Audit action names of the API app."""

TOKEN_CREATE = "api.token.create"
TOKEN_REVOKE = "api.token.revoke"
SCORES_BULK = "api.scores.bulk"
