"""Writes the two sample upstream exports in this folder (run: python make_samples.py).

- 12345_export_sample.xlsx: what the city platform's "导出Excel" gives: a title row, an
  "导出时间" row, asterisks in the header, Excel dates, phone numbers stored as numbers, a
  line break inside a cell, stray spaces around an order number, a 合计 footer, and two rows
  that cannot be read (no order number; an impossible date) so the report shows rejections.
- 12345_export_sample_gbk.csv: the next day's export saved as CSV by Excel on a Chinese
  Windows PC (GBK), with other column names (aliases), text dates, full-width phone digits,
  and three orders of the first file again, one of them with a changed 承办单位 (an update).

Try: hotline import data/sample_imports/12345_export_sample.xlsx data/sample_imports/12345_export_sample_gbk.csv
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
XLSX = HERE / "12345_export_sample.xlsx"
CSV_GBK = HERE / "12345_export_sample_gbk.csv"

AREAS = ["城关镇", "黑龙河乡", "西河镇", "石门乡", "龙泉镇", "北岭乡", "南关街道", "桃园乡"]
UNITS = ["县住建局", "县交通运输局", "县人社局", "县市场监管局", "县城管局", "县教育局",
         "县卫健局", "县自然资源局", "县水利局", "县供电公司"]
NAMES = ["张建国", "李秀英", "王海涛", "刘芳", "陈志强", "杨丽", "赵国庆", "孙红梅", "周涛", "吴敏"]
REQUESTS = [
    ("投诉", "城市管理", "小区门口占道经营", "{area}{road}路口每天早上有商贩占道摆摊，堵塞交通，"
     "希望有关部门管理。"),
    ("求助", "供水", "村里停水三天", "{area}{village}从本周一起停水，至今没有恢复，村民生活困难，"
     "请尽快协调恢复供水。"),
    ("咨询", "社会保障", "灵活就业人员社保缴费", "来电人咨询灵活就业人员养老保险在哪里缴费、"
     "缴费标准是多少。"),
    ("投诉", "住房建设", "小区电梯经常故障", "{area}{community}3号楼电梯本月已停运四次，物业拖延维修，"
     "老人上下楼困难。"),
    ("举报", "市场监管", "超市销售过期食品", "{area}{road}一家超市货架上有过期面包和牛奶，"
     "来电人保留了购物小票。"),
    ("建议", "交通运输", "增开县城至乡镇公交", "建议增开县城至{area}的早班公交车，方便学生和务工人员出行。"),
    ("求助", "道路", "路灯不亮", "{area}{village}村口到学校的一段路灯已坏两周，晚上出行不安全。"),
    ("投诉", "环境保护", "夜间施工噪音扰民", "{area}{community}旁工地每天晚上十一点后仍在施工，"
     "噪音很大，影响休息。"),
    ("咨询", "教育", "义务教育入学条件", "来电人咨询孩子随迁入学需要准备哪些材料，何时报名。"),
    ("投诉", "劳动保障", "拖欠农民工工资", "来电人在{area}{community}工地打工，"
     "包工头拖欠工资两个月共1.2万元，多次讨要未果。\n请求帮助追讨。"),
]
ROADS = ["建设路", "人民路", "解放街", "朝阳路", "新华街"]
VILLAGES = ["东庄村", "西沟村", "南坡村", "后营村", "前进村"]
COMMUNITIES = ["幸福家园小区", "阳光花园小区", "锦绣城小区", "滨河小区"]
SOURCES = ["12345热线", "网站", "微信公众号", "市长信箱"]


def _orders(rng: random.Random, day: datetime, count: int, first: int) -> list[dict]:
    out = []
    for i in range(count):
        rtype, category, title, text = rng.choice(REQUESTS)
        area = rng.choice(AREAS)
        received = day + timedelta(hours=8, minutes=rng.randint(0, 9 * 60), seconds=rng.randint(0, 59))
        limit_days = {"咨询": 3, "求助": 7, "建议": 10}.get(rtype, 15)
        out.append({
            "order_no": f"XS{day:%Y%m%d}{first + i:05d}",
            "received_at": received,
            "caller_name": rng.choice(NAMES),
            "caller_phone": 13000000000 + rng.randint(0, 999_999_999),
            "request_type": rtype,
            "category": category,
            "title": title,
            "content": text.format(area=area, road=rng.choice(ROADS),
                                   village=rng.choice(VILLAGES),
                                   community=rng.choice(COMMUNITIES)),
            "area": area,
            "address": f"{area}{rng.choice(ROADS)}{rng.randint(1, 200)}号",
            "due": (received + timedelta(days=limit_days)).replace(hour=0, minute=0, second=0),
            "unit": rng.choice(UNITS),
            "confidential": "是" if rng.random() < 0.1 else "否",
            "urgency": "紧急" if rng.random() < 0.15 else "一般",
            "source": rng.choice(SOURCES),
        })
    return out


def write_xlsx(orders: list[dict]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "工单明细"
    ws.append(["西山县12345政务服务便民热线工单明细表"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["导出时间：2026-11-02 17:30:12", None, None, "导出人：县热线办"])
    ws.append([])
    ws.append(["序号", "*工单编号", "来电时间", "来电人", "联系电话", "诉求类型", "问题分类",
               "诉求标题", "诉求内容", "被反映街乡镇", "事发地址", "办结时限", "承办单位",
               "是否保密", "紧急程度", "工单来源"])
    for n, o in enumerate(orders, 1):
        no = o["order_no"] if n != 3 else f"  {o['order_no']} "  # stray spaces
        ws.append([n, no, o["received_at"], o["caller_name"], o["caller_phone"],
                   o["request_type"], o["category"], o["title"], o["content"], o["area"],
                   o["address"], o["due"], o["unit"], o["confidential"], o["urgency"],
                   o["source"]])
    last = len(orders)
    ws.append([last + 1, None, datetime(2026, 11, 2, 16, 40), "匿名", None, "咨询", None,
               "无编号的行", "这一行没有工单编号，导入时会被拒收并报告行号。"])
    ws.append([last + 2, "XS2026110299999", "2026-02-30 10:00", "测试", "13900000000", "投诉",
               None, "日期不存在", "2 月 30 日不存在，这一行会被拒收。"])
    ws.append(["合计", f"{last} 条"])
    for row in ws.iter_rows(min_row=5):
        row[2].number_format = "yyyy-mm-dd hh:mm:ss"
        row[11].number_format = "yyyy-mm-dd"
        row[4].number_format = "0"
        row[8].alignment = Alignment(wrap_text=True)
    ws.column_dimensions["I"].width = 60
    fixed = datetime(2026, 11, 2, 17, 30, 12)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(XLSX)


def write_gbk_csv(orders: list[dict], again: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["西山县12345热线工单（2026年11月3日）", "", "", "", "", "", "", "", "", ""])
    w.writerow(["工单号", "受理时间", "诉求人", "来电号码", "诉求类别", "标题", "反映内容",
                "所属区域", "主办单位", "渠道"])
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    for i, o in enumerate(again + orders):
        phone = str(o["caller_phone"])
        if i % 3 == 0:
            phone = f"{phone[:3]} {phone[3:7]} {phone[7:]}".translate(full)
        w.writerow([o["order_no"], f"{o['received_at']:%Y/%m/%d %H:%M}", o["caller_name"],
                    phone, o["request_type"], o["title"], o["content"], o["area"],
                    o["unit"], o["source"]])
    w.writerow(["合计", f"{len(again) + len(orders)}条", "", "", "", "", "", "", "", ""])
    CSV_GBK.write_bytes(buf.getvalue().encode("gbk"))


def main() -> None:
    rng = random.Random(12345)
    day1 = _orders(rng, datetime(2026, 11, 2), 24, 1)
    day2 = _orders(rng, datetime(2026, 11, 3), 16, 1)
    again = [dict(o) for o in day1[:3]]
    again[0]["unit"] = "县城管局" if again[0]["unit"] != "县城管局" else "县住建局"
    write_xlsx(day1)
    write_gbk_csv(day2, again)
    print(f"wrote {XLSX.name} and {CSV_GBK.name}")


if __name__ == "__main__":
    main()
