"""Misplaced income (全部存入原开设的收入户): the finding's kind and the words of its detail."""

MESSAGES: dict[str, tuple[str, str]] = {
    "report.kind.misplaced_income": ("收入未存入收入户", "misplaced income"),
    "report.detail.payer": ("缴款方", "payer"),
    "report.detail.belongs_in": ("应存入收入户", "belongs in income account"),
}
