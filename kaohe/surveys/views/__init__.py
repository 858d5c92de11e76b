"""Views of the surveys app: office pages, team entry, reports, forums and public pages."""
