"""Single sign-on: LDAP / Active Directory, OpenID Connect and CAS, each switched on by
environment variables (docs/configuration.md). Every protocol ends in provision.sso_user():
an existing user by username, or a new inactive one; roles are never taken from the IdP."""
