"""Template exchange formats: the JSON template file and XLSForm spreadsheets."""
