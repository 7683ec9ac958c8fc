"""One exception family for everything that aborts work.

Problems in the *data* a run looks at (a late remittance, a statement that does not add up) are
findings, not exceptions. Exceptions are for input the tool cannot use at all and for broken
surroundings; each carries enough to tell a person what to fix.
"""

from __future__ import annotations


class ReconError(Exception):
    """Base class of every error the tool raises on purpose."""


class ConfigError(ReconError):
    """The configuration or a mapping file is wrong: names the file, the key and what is expected."""

    def __init__(self, file: str, key: str, expected: str) -> None:
        self.file, self.key, self.expected = file, key, expected
        super().__init__(f"{file}: {key}: {expected}")


class ParseError(ReconError):
    """A statement file cannot be read: names the file, the line or element, and what was expected."""

    def __init__(self, message: str, *, file: str = "", where: str = "") -> None:
        self.message, self.file, self.where = message, file, where
        super().__init__(self.render())

    def render(self) -> str:
        place = ", ".join(p for p in (self.file, self.where) if p)
        return f"{place}: {self.message}" if place else self.message

    def located(self, file: str) -> ParseError:
        """The same error naming `file` (parsers often learn the file name only from the caller)."""
        return type(self)(self.message, file=self.file or file, where=self.where)


class AmountError(ParseError):
    """An amount that is not a number, or has non-zero digits beyond the fen."""


class StoreError(ReconError):
    """The database cannot be reached or refused the work."""
