# ruff: noqa: E501  (one message per line reads better than wrapped strings)
"""`recon status` and `recon accounts`: column titles, roles and funds."""

MESSAGES: dict[str, tuple[str, str]] = {
    "status.account": ("账号", "Account"),
    "status.entity": ("单位", "Entity"),
    "status.fund": ("险种", "Fund"),
    "status.role": ("账户性质", "Role"),
    "status.statements": ("对账单数", "Statements"),
    "status.lines": ("明细笔数", "Lines"),
    "status.first": ("最早覆盖日", "First day"),
    "status.last": ("最晚覆盖日", "Last day"),
    "status.gaps": ("缺失区间", "Gaps"),
    "status.balance": ("最新余额", "Last balance"),
    "status.name": ("户名", "Name"),
    "status.bank": ("开户行", "Bank"),
    "status.profile": ("格式", "Profile"),
    "status.breaks": ("余额不符", "Balance breaks"),
    "status.files": ("文件：已入库 {ingested}，重复 {duplicate}，拒收 {rejected}", "Files: {ingested} ingested, {duplicate} duplicates, {rejected} rejected"),
    "role.income": ("收入户", "income"),
    "role.expense": ("支出户", "expense"),
    "role.fiscal": ("财政专户", "fiscal"),
    "role.legacy_fiscal": ("原县级财政专户", "legacy fiscal"),
    "fund.pension": ("养老", "pension"),
    "fund.unemployment": ("失业", "unemployment"),
}
