"""On-site views, one module per part."""
