"""Strings of `hotline demo`."""

ZH = {
    "demo.stage.prepare": "准备数据库",
    "demo.stage.orders": "生成工单",
    "demo.stage.index": "建立索引",
    "demo.done": "演示数据库 {path}：{orders} 条工单，{history} 条处理记录，{units} 个单位，用时 {seconds} 秒。",
    "demo.replaced": "原有的 {count} 条演示工单已被替换。",
}

EN = {
    "demo.stage.prepare": "Preparing the database",
    "demo.stage.orders": "Making orders",
    "demo.stage.index": "Building indexes",
    "demo.done": "Demo database {path}: {orders} orders, {history} history rows, {units} units, in {seconds} s.",
    "demo.replaced": "The {count} demo orders that were there have been replaced.",
}
