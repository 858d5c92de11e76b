"""The spreadsheet helpers the exams app reads question banks with, from kaohe.common.sheets.

Reading grids (merged cells filled, formulas replaced by their cached value), finding a header
by synonyms, cleaning cell text, checking the upload and collecting problems by sheet, row and
column are solved there once for every import (the upload itself goes through
kaohe.common.uploads, the import policy for .xlsx).
"""

from kaohe.common.sheets.files import check_upload
from kaohe.common.sheets.grid import Table, is_uncomputed_formula, iter_nonblank, read_xlsx
from kaohe.common.sheets.headers import Header, find_header, is_header_again
from kaohe.common.sheets.problems import ImportFailed, Problems
from kaohe.common.sheets.text import cell_text, header_key, split_names
from kaohe.common.uploads import CheckedFile

__all__ = [
    "Header",
    "ImportFailed",
    "Problems",
    "Table",
    "CheckedFile",
    "cell_text",
    "check_upload",
    "find_header",
    "header_key",
    "is_header_again",
    "is_uncomputed_formula",
    "iter_nonblank",
    "read_xlsx",
    "split_names",
]
