"""Template exchange formats: the JSON template file and XLSForm spreadsheets."""

import re

#: What a worksheet cannot hold (characters outside XML 1.0: control characters other than tab and
#: line breaks, U+FFFE, U+FFFF, lone surrogates); openpyxl and lxml stop with a bare exception on
#: them. The XLSForm writer refuses such a template, located; the insights workbooks write U+FFFD.
NOT_IN_SHEETS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
