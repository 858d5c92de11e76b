"""Audit action names of the rectification app: one place, so a typo cannot invent an action."""

RECTIFICATION_CREATE = "rectification.create"
RECTIFICATION_SUBMIT = "rectification.submit"
RECTIFICATION_VERIFY = "rectification.verify"
