"""kaohe (考核): the annual law-based administration assessment, end to end."""

__version__ = "0.1.0"
