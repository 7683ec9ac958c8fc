"""One exception family for everything that aborts work.

Problems in the *data* a run looks at (a late remittance, a statement that does not add up) are
findings, not exceptions. Exceptions are for input the tool cannot use at all and for broken
surroundings; each carries enough to tell a person what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping


class ReconError(Exception):
    """Base class of every error the tool raises on purpose."""


class ConfigError(ReconError):
    """The configuration or a mapping file is wrong: names the file, the key and what is expected."""

    def __init__(self, file: str, key: str, expected: str) -> None:
        self.file, self.key, self.expected = file, key, expected
        super().__init__(f"{file}: {key}: {expected}")


class ParseError(ReconError):
    """A statement file cannot be read: names the file, the line or element, and what was expected.

    Said in the user's language: `key` names the catalogue's sentence `parse.<key>` (with `values`),
    and `detail` carries a library's own words, shown after it. Without a key, `message` is the text.
    `str()` and `message` are the English text (the log, and tests written against it)."""

    def __init__(self, message: str = "", *, file: str = "", where: str = "", key: str = "", detail: str = "",
                 values: Mapping[str, object] | None = None, subject: str = "") -> None:
        self.file, self.where, self.key, self.detail, self.subject = file, where, key, detail, subject
        self.values = dict(values or {})
        self.message = self.text("en") if key else message
        super().__init__(self.render())

    def text(self, lang: str) -> str:
        """What went wrong, without the place."""
        if not self.key:
            return self.message
        from reconcile.messages import t

        said = t(f"parse.{self.key}", lang, **self.values)
        if self.detail:
            said = t("parse.with_detail", lang, text=said, detail=self.detail)
        return t("parse.with_detail", lang, text=self.subject, detail=said) if self.subject else said

    def render(self, lang: str = "en") -> str:
        from reconcile.places import say_place

        place = (", " if lang == "en" else "，").join(p for p in (self.file, say_place(self.where, lang)) if p)
        text = self.text(lang)
        if not place:
            return text
        return f"{place}: {text}" if lang == "en" else f"{place}：{text}"

    def located(self, file: str) -> ParseError:
        """The same error naming `file` (parsers often learn the file name only from the caller)."""
        return type(self)(self.message, file=self.file or file, where=self.where, key=self.key, detail=self.detail,
                          values=self.values, subject=self.subject)

    def about(self, subject: str, where: str) -> ParseError:
        """The same error about `subject` (a column's label) at `where`; keeps a keyless message as it is."""
        if not self.key:
            return type(self)(f"{subject}: {self.message}", file=self.file, where=where)
        return type(self)(file=self.file, where=where, key=self.key, detail=self.detail, values=self.values,
                          subject=subject)


class AmountError(ParseError):
    """An amount that is not a number, or has non-zero digits beyond the fen."""


class StoreError(ReconError):
    """The database cannot be reached or refused the work."""
