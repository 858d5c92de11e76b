"""The one place the exams app borrows the spreadsheet helpers of kaohe.transfer.

Reading grids (merged cells filled, formulas replaced by their cached value), finding a header
by synonyms, cleaning cell text, checking the upload and collecting problems by sheet, row and
column are already solved there (the upload itself goes through kaohe.common.uploads, the
import policy for .xlsx); when the sheet helpers move down to kaohe.common, only this file changes.
"""

from kaohe.common.uploads import CheckedFile
from kaohe.transfer.files import check_upload
from kaohe.transfer.grid import Table, is_uncomputed_formula, iter_nonblank, read_xlsx
from kaohe.transfer.headers import Header, find_header, is_header_again
from kaohe.transfer.problems import ImportFailed, Problems
from kaohe.transfer.text import cell_text, header_key, split_names

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
