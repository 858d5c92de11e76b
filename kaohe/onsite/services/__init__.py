"""Write services of the on-site app (one module per part; every write is audited)."""
