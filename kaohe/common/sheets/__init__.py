"""Reading office spreadsheets: the grid of an .xlsx file, header rows found by their names, cell
text, and problems reported by sheet, row and column (all or nothing). Used by every import —
transfer (units, indicators, scores), exams (question banks), surveys (questionnaires)."""
