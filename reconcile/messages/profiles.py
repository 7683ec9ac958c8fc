# ruff: noqa: E501  (one message per line reads better than wrapped strings)
"""Bank profiles: the refusal of a layout no profile fits, and `recon profile draft`."""

MESSAGES: dict[str, tuple[str, str]] = {
    "profile.unknown": ("没有与此版式相符的银行格式：表头在 {where}：{cells}；最接近的格式 {profile} 缺少 {missing}", "no bank profile fits this layout: header row at {where}: {cells}; the nearest profile, {profile}, lacks {missing}"),
    "profile.unknown_headerless": ("没有找到表头行（第一行数据在 {where}：{cells}），也没有相符的无表头格式", "no header row found (the first data row is at {where}: {cells}), and no headerless profile fits it"),
    "profile.unknown_nothing": ("没有找到表头行，也没有带日期和金额的数据行：不像银行流水", "no header row and no row with a date and an amount: this does not look like a statement"),
    "profile.unknown_hint": ("请为此版式起草格式：recon profile draft {file} --name <名称>", "draft a profile for it: recon profile draft {file} --name NAME"),
    "profile.draft.written": ("已写出格式草稿：{path}", "Draft profile written: {path}"),
    "profile.draft.exists": ("{path} 已存在；换一个 --name，或用 --force 覆盖", "{path} exists; choose another --name, or --force to overwrite it"),
    "profile.draft.bad_name": ("格式名称 {name!r} 无效：只能用小写字母、数字和下划线，以字母开头", "profile name {name!r} is invalid: lowercase letters, digits and underscores, starting with a letter"),
    "profile.draft.reads": ("按此草稿读取 {file}：", "What the draft reads from {file}:"),
    "profile.draft.statement": ("对账单 {i}：账号 {account}，户名 {name}，币种 {currency}，期间 {start} 至 {end}", "statement {i}: account {account}, name {name}, currency {currency}, period {start} to {end}"),
    "profile.draft.lines": ("  明细 {n} 笔：收入 {n_in} 笔 合计 {sum_in}；支出 {n_out} 笔 合计 {sum_out}；净额 {net}", "  {n} lines: credits {n_in}, total {sum_in}; debits {n_out}, total {sum_out}; net {net}"),
    "profile.draft.dates": ("  最早日期 {first}，最晚日期 {last}", "  first date {first}, last date {last}"),
    "profile.draft.balances": ("  期初余额 {opening}，期末余额 {closing}；逐笔余额：文件第一行 {first}，最后一行 {last}", "  opening balance {opening}, closing balance {closing}; running balance on the file's first line {first}, on its last line {last}"),
    "profile.draft.check": ("请与银行对账单上的笔数、发生额合计和余额核对；如有不符，按草稿中的注释修改一行后重试：recon parse {file} --profile {name}", "Check these against the bank's own counts, totals and balances; where they differ, edit the line the draft's comments point to and try again: recon parse {file} --profile {name}"),
    "profile.draft.refused": ("此草稿尚不能读取该文件：{error}", "The draft cannot read the file yet: {error}"),
    "profile.draft.fix": ("请按草稿中的注释修改后重试：recon parse {file} --profile {name}", "Edit the draft where its comments say, then try: recon parse {file} --profile {name}"),
    "profile.draft.none": ("无", "none"),
}
