"""Parts of the settings read from the environment, kept out of settings.py by topic."""
