"""Typed exceptions. Messages are translated when raised; the UI and CLI decide how to show them."""

from __future__ import annotations

from dataclasses import dataclass


class LikvardError(Exception):
    """Base of every error meant to be shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One located problem in a template or file: ``sections[2].items[4].type: ...``."""

    location: str
    message: str
    severity: str = "error"  # "error" or "warning"
    code: str = ""  # what kind of problem, for those said in words of their own ("missing_translation")

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class TemplateFormatError(LikvardError):
    """A template file or structure is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(str(p) for p in problems))


class ImmutableVersionError(LikvardError):
    """An attempt to change a published or retired template version."""


class AnswerError(LikvardError):
    """An answer does not fit its item (wrong type, out of range, unknown option)."""


class CompletionError(LikvardError):
    """Completion was refused; ``missing`` holds the keys of unanswered required items."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


class LockedAssessmentError(LikvardError):
    """The assessment is completed or signed and cannot be changed."""


class CaseReferenceError(LikvardError):
    """A case reference is already used by another case (one case per reference in a database),
    or a revision would leave the reference of the case it amends."""

    def __init__(self, message: str, reference: str) -> None:
        super().__init__(message)
        self.reference = reference


class NotFoundError(LikvardError):
    """A template, version or assessment does not exist."""


class StorageError(LikvardError):
    """The database cannot be opened or used."""


class DatabaseTooNewError(StorageError):
    """The database was written by a newer version of Likvärd."""


class DatabaseCorruptError(StorageError):
    """The file is not a readable Likvärd database; it is left untouched."""


class DatabaseForeignError(StorageError):
    """The file is another application's SQLite database; it is left untouched."""


class DatabaseBusyError(StorageError):
    """Another connection holds the write lock longer than the busy timeout; retrying may succeed."""


class DatabaseReadOnlyError(StorageError):
    """The database file or its folder cannot be written."""


class SigningError(LikvardError):
    """A signing identity or a digital signature could not be made or used."""


class WrongPasswordError(SigningError):
    """The password of a signing identity is wrong; nothing was signed or written."""


class ServerNotPreparedError(StorageError):
    """A server (PostgreSQL) database has no Likvärd schema yet, or an older one: only its
    administrator prepares or upgrades it (``likvard server init`` / ``likvard server upgrade``)."""
