"""Audit action names of the audit app: one place, so a typo cannot invent an action."""

ACCESS_DENIED = "access.denied"
ACCESS_NOT_FOUND = "access.not_found"
AUDIT_EXPORT = "audit.export"
AUDIT_VERIFY = "audit.verify"
BACKUP_RESTORE = "backup.restore"
