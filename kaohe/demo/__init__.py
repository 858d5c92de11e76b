"""The seeds' 2020 demo: top floor, imports every app, imported by none (docs/architecture.md)."""
