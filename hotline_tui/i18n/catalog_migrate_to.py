"""Strings of `hotline migrate-to`: copying the database into a new one."""

ZH = {
    "migrate_to.same": "目标就是当前数据库，请给出另一个数据库地址。",
    "migrate_to.cannot_open": "无法打开目标数据库：{reason}",
    "migrate_to.not_empty": "目标数据库里已有工单；为免混淆，只能复制到空的数据库。",
    "migrate_to.count_mismatch": "复制后 {table} 表的行数与原库不一致，已全部撤销。",
    "migrate_to.done": "已复制 {rows} 行（{tables} 张表）到 {target}。以后请用 --db 或 HOTLINE_DB 指向它。",
}

EN = {
    "migrate_to.same": "The target is the current database; give the address of another one.",
    "migrate_to.cannot_open": "Cannot open the target database: {reason}",
    "migrate_to.not_empty": "The target database already holds orders; copy only into an empty one.",
    "migrate_to.count_mismatch": "After copying, table {table} has a different row count than the source; everything was undone.",
    "migrate_to.done": "Copied {rows} rows ({tables} tables) to {target}. From now on point --db or HOTLINE_DB at it.",
}
