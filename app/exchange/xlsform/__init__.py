"""XLSForm spreadsheets (.xlsx, and the old .xls read with xlrd) to and from checklist templates.

``read_xlsform`` turns an XLSForm (sheets ``survey``, ``choices``, ``settings``, read the way
pyxform reads them: case-insensitive sheet names and headers, the usual type and column
aliases) into a template dict that passes ``parse_template``. Whatever a checklist cannot
represent is reported row by row as :class:`SkippedRow` (sheet, row, why, and a ``kind``) and
the import goes on with the rest: rows (geopoint, image, calculate, start/end metadata,
repeats...), columns (choice_filter, default, media, complex constraints...), a relevant
expression outside the supported subset or naming a left-out row (the condition is dropped; one
that reads a calculation says so), a comparison with a choice that does not exist (fixed when
only the case differs, else dropped), the same name in two groups (renamed), unbalanced group
rows, unknown choice lists. Only a file that is not a workbook, has no survey sheet or keeps no
question raises ``TemplateFormatError`` (problems located as ``survey!B7``), and so do our own
``likvard_*`` JSON columns when malformed.

Mapping:

* ``text`` -> short_text (``appearance`` multiline -> long_text), ``integer`` -> integer,
  ``decimal`` -> decimal, ``date`` -> date, ``note`` -> note, ``select_one L`` ->
  single_choice (yes_no_na when the list is exactly yes/no/na), ``select_multiple L`` ->
  multiple_choice. Our own ``likvard_type`` column refines the type (money, scale, long_text,
  yes_no_na...); ``likvard_weight``, ``likvard_flag_when`` (JSON), ``likvard_flag_explanation``
  ``likvard_visible_when`` (JSON, used when a condition has no XLSForm spelling),
  ``likvard_private`` (yes/no: a reflection item never printed or exported per case) and
  ``likvard_sources`` (the law and research an item rests on, one a line, or a JSON list)
  carry what XLSForm has no column for, so export then import gives back an equal template.
* ``begin group``/``end group`` -> sections (key = group name, title = group label, relevant
  -> the section's visible_when). Items outside any group go into a section ``general``
  (``general_2``... when they follow a group). Nested groups are flattened: the inner group
  becomes its own section whose condition combines the outer and inner relevant; items after
  it continue in a new section with the outer group's title. The nested ``begin group`` row is
  reported. A repeat (``begin repeat`` ... ``end repeat``) is skipped with everything in it.
* References are ``${name}`` or XPath paths (``./x``, ``../x``, ``../../g/x``, ``/data/g/x``,
  relative to the row). Typographic quotes count as quotes. Compared values take the type of
  the item they compare with: a number written for a choice code is the code's text.
* ``constraint``: ``. >= a and . <= b`` -> min/max on number items; strict ``<``/``>`` on whole
  numbers become the next whole number; ``... or . = 99`` drops the bound that would refuse 99.
  ``constraint_message`` (when the constraint is kept), ``guidance_hint`` and ``required_message``
  join the guidance after ``hint``.
* ``${name}`` in labels, hints and choice labels becomes ``${key}`` (filled in with that item's
  answer when shown); one that points nowhere is removed and reported.
* A section left empty by the import (its rows all left out, or a nested group took its place)
  is left out; a group empty in the file stays an empty section.
* ``relevant`` -> visible_when for the subset ``${x} = 'v'``, ``!=``, ``<``, ``<=``, ``>``,
  ``>=`` (numbers, ``date('...')``, another question optionally ``* factor``),
  ``selected(${x}, 'v')``, ``${x} != ''``/``= ''``, ``string-length(${x}) > 0``,
  ``count-selected(${x}) > 0``, ``and``, ``or``, ``not(...)``, parentheses, ``true()`` and
  ``false()``; parsed by a small recursive-descent parser (no eval). A condition that refers
  to a skipped row is dropped and reported.
* ``constraint`` of the form ``. >= a and . <= b`` -> min/max on number items.
* Labels: ``label``, ``label::English (en)``, ``label:English``; ``hint`` -> guidance. A
  column's language is its ``(code)``, else a known language name, else a 2-3 letter code
  derived from the name (reported). Plain columns are in the settings' default_language, or
  English.
* settings: ``form_title`` -> title (``likvard_title::...`` per language when present),
  ``form_id`` -> key, ``default_language``, ``likvard_description::...`` -> description.

Empty texts are dropped: a text that is an empty string does not survive a round trip.
"""

from app.exchange.xlsform.common import SkippedRow, XLSFormImport
from app.exchange.xlsform.expressions import condition_to_xpath, parse_relevant
from app.exchange.xlsform.reader import read_xlsform
from app.exchange.xlsform.writer import write_xlsform

__all__ = ["SkippedRow", "XLSFormImport", "condition_to_xpath", "parse_relevant", "read_xlsform", "write_xlsform"]
