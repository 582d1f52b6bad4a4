"""Pure domain logic: templates, conditions, case facts, assessments. No I/O, no Qt."""
