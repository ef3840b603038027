"""The calendar service against a real SQLite file: entering and importing years, the cache
following the database, the counting rule from the settings."""

import shutil
from datetime import date, datetime, time

import pytest
from sqlalchemy import text

from hotline_tui.config import shipped_data
from hotline_tui.errors import UserError
from hotline_tui.services import calendar as svc
from hotline_tui.services.settings import set_setting
from hotline_tui.store.engine import open_database, session


def _eod(y, m, d):
    return datetime.combine(date(y, m, d), time(23, 59, 59))


def test_missing_year_until_entered(engine):
    assert svc.year_status(engine, 2027).status == "missing"
    res = svc.compute_due(engine, datetime(2026, 12, 28, 10), 15)
    assert (res.due_at, set(res.fallback_years)) == (_eod(2027, 1, 18), {2027})
    assert svc.fallback_warning(res.fallback_years) == "2027 年节假日安排未录入，按周末计算"
    assert svc.upcoming_missing_years(engine, date(2026, 12, 10)) == [2027]
    assert svc.upcoming_missing_years(engine, date(2026, 6, 1)) == []

    cov = svc.set_year(engine, 2027, [(date(2027, 1, 1), "元旦")], [(date(2027, 1, 16), "调休")],
                       actor="tester")
    assert (cov.status, cov.entered_holidays, cov.entered_workdays) == ("entered", 1, 1)
    res = svc.compute_due(engine, datetime(2026, 12, 31, 10), 1)
    assert (res.due_at, res.fallback_years) == (_eod(2027, 1, 4), frozenset())
    assert svc.upcoming_missing_years(engine, date(2026, 12, 10)) == []
    with engine.connect() as conn:
        row = conn.execute(text("SELECT day, kind, name, entered_by FROM calendar_day "
                                "ORDER BY day")).first()
    assert (str(row[0]), *row[1:]) == ("2027-01-01", "holiday", "元旦", "tester")


def test_set_year_replaces_and_clears(engine):
    svc.set_year(engine, 2027, [(date(2027, 1, 1), "元旦"), (date(2027, 1, 4), "x")], [])
    svc.set_year(engine, 2027, [(date(2027, 1, 1), "元旦")], [])
    hol, work = svc.entered_days(engine, 2027)
    assert (hol, work) == ([(date(2027, 1, 1), "元旦")], [])
    assert svc.calendar_for(engine).is_workday(date(2027, 1, 4))
    cov = svc.clear_year(engine, 2027)
    assert cov.status == "missing"
    assert svc.calendar_for(engine).is_workday(date(2027, 1, 1))


def test_set_year_refuses_bad_input_and_writes_nothing(engine):
    svc.set_year(engine, 2027, [(date(2027, 1, 1), "元旦")], [])
    with pytest.raises(UserError) as e:
        svc.set_year(engine, 2027, [(date(2026, 12, 31), "")], [])
    assert str(e.value) == "2026-12-31 不在 2027 年内。"
    with pytest.raises(UserError) as e:
        svc.set_year(engine, 2027, [(date(2027, 2, 1), "")], [(date(2027, 2, 1), "")])
    assert "2027-02-01" in str(e.value)
    with pytest.raises(UserError):
        svc.set_year(engine, 1850, [], [])
    assert svc.entered_days(engine, 2027) == ([(date(2027, 1, 1), "元旦")], [])


def test_entered_day_overrides_the_package(engine):
    assert svc.compute_due(engine, datetime(2025, 9, 30), 3).due_at == _eod(2025, 10, 11)
    svc.set_year(engine, 2025, [], [(date(2025, 10, 8), "本地上班")])
    assert svc.compute_due(engine, datetime(2025, 9, 30), 3).due_at == _eod(2025, 10, 10)
    view = svc.year_view(engine, 2025)
    assert view.status == "package" and view.coverage.entered_workdays == 1
    day = next(d for d in view.days if d.day == date(2025, 10, 8))
    assert (day.kind, day.source, day.package_kind) == ("workday", "entered", "holiday")


def test_cache_follows_changes_from_another_connection(engine, db_path):
    cal1 = svc.calendar_for(engine)
    assert svc.calendar_for(engine) is cal1  # cached while nothing changes
    other = open_database(db_path)  # e.g. the CLI in another process
    try:
        svc.set_year(other, 2027, [(date(2027, 1, 4), "x")], [])
    finally:
        other.dispose()
    cal2 = svc.calendar_for(engine)
    assert cal2 is not cal1 and not cal2.is_workday(date(2027, 1, 4))


def test_calendar_and_due_inside_a_session(engine):
    svc.set_year(engine, 2027, [(date(2027, 1, 4), "x")], [])
    with session(engine) as s:
        assert not svc.calendar_for(s).is_workday(date(2027, 1, 4))
        calc = svc.due_calculator(s)
        assert calc(datetime(2027, 1, 1, 9), 1).due_at == _eod(2027, 1, 5)


def test_rule_comes_from_the_settings(engine):
    assert svc.due_rule(engine).end_of_day == time(23, 59, 59)
    with session(engine) as s:
        set_setting(s, "due_rule", {"end_of_day": "17:30", "count_dispatch_day": True})
        s.commit()
    res = svc.compute_due(engine, datetime(2025, 1, 27, 9), 3)
    assert res.due_at == datetime(2025, 2, 6, 17, 30)
    with session(engine) as s:
        set_setting(s, "due_rule", {"end_of_day": "late"})
        s.commit()
    with pytest.raises(UserError) as e:
        svc.compute_due(engine, datetime(2025, 1, 27, 9), 3)
    assert "due_rule" in str(e.value)


def test_upstream_wins_through_the_service(engine):
    res = svc.compute_due(engine, datetime(2025, 1, 24, 16), 3, datetime(2025, 2, 3, 12))
    assert res.due_at == datetime(2025, 2, 3, 12) and res.upstream_won


CSV_2027 = (
    "date,kind,name\n"
    "2027-01-01,休,元旦\n"
    "\n"
    "# a comment, ignored\n"
    "2027/2/6..2027/2/8,放假,春节\n"
    "2027年2月14日,班,春节\n"
    "2027-05-08,workday,劳动节\n"
)


def test_import_csv(engine, tmp_path):
    path = tmp_path / "y2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    covs = svc.import_year_file(engine, path)
    assert [(c.year, c.entered_holidays, c.entered_workdays) for c in covs] == [(2027, 4, 2)]
    cal = svc.calendar_for(engine)
    assert not cal.is_workday(date(2027, 2, 8)) and cal.is_workday(date(2027, 2, 14))
    assert cal.day_info(date(2027, 2, 7)).name == "春节"


def test_import_gbk_csv_with_chinese_headers_and_other_column_order(engine, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("名称,日期,类型\n元旦,2027-01-01,休\n调休,2027-01-09,上班\n".encode("gbk"))
    covs = svc.import_year_file(engine, path)
    assert [(c.entered_holidays, c.entered_workdays) for c in covs] == [(1, 1)]
    assert svc.calendar_for(engine).is_workday(date(2027, 1, 9))


def test_import_xlsx(engine, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["节假日安排"])  # a title row above the header
    ws.append(["日期", "类型", "名称"])
    ws.append([datetime(2027, 1, 1), "休", "元旦"])
    ws.append([date(2027, 2, 14), "班", "春节"])
    path = tmp_path / "y.xlsx"
    wb.save(path)
    with pytest.raises(UserError) as e:  # the title row is not a date
        svc.import_year_file(engine, path)
    assert "第 1 行" in str(e.value)
    ws.delete_rows(1)
    wb.save(path)
    covs = svc.import_year_file(engine, path)
    assert [(c.year, c.entered_holidays, c.entered_workdays) for c in covs] == [(2027, 1, 1)]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("date,kind,name\n2027-01-01,休,元旦\n2027-13-01,休,x\n", "第 3 行的日期"),
        ("date,kind,name\n2027-01-01,maybe,元旦\n", "第 2 行的类型"),
        ("date,kind,name\n2027-01-01,休,元旦\n2027-01-01,班,元旦\n", "第 3 行"),
        ("date,kind,name\n", "没有日期"),
    ],
)
def test_import_bad_rows_name_the_row_and_change_nothing(engine, tmp_path, body, needle):
    svc.set_year(engine, 2027, [(date(2027, 3, 1), "已有")], [])
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UserError) as e:
        svc.import_year_file(engine, path)
    assert needle in str(e.value)
    assert "\n" not in str(e.value)
    assert svc.entered_days(engine, 2027)[0] == [(date(2027, 3, 1), "已有")]


def test_import_unknown_type_and_missing_file(engine, tmp_path):
    with pytest.raises(UserError):
        svc.import_year_file(engine, tmp_path / "nope.csv")
    odd = tmp_path / "y.json"
    odd.write_text("{}")
    with pytest.raises(UserError):
        svc.import_year_file(engine, odd)


def test_shipped_template_documents_the_format_and_holds_no_dates(engine, tmp_path):
    template = shipped_data("holidays/TEMPLATE.csv")
    body = template.read_text(encoding="utf-8-sig")
    assert "date,kind,name" in body and "hotline calendar import" in body
    with pytest.raises(UserError):  # no invented arrangement ships with the app
        svc.import_year_file(engine, template)
    filled = tmp_path / "2027.csv"
    shutil.copy(template, filled)
    with filled.open("a", encoding="utf-8") as fh:
        fh.write("2027-01-01,休,元旦\r\n")
    covs = svc.import_year_file(engine, filled)
    assert [(c.year, c.entered_holidays) for c in covs] == [(2027, 1)]


def test_parse_day_spec():
    assert svc.parse_day_spec("2027-01-01:元旦") == [(date(2027, 1, 1), "元旦")]
    assert svc.parse_day_spec("2027-02-06..2027-02-08：春节") == [
        (date(2027, 2, 6), "春节"), (date(2027, 2, 7), "春节"), (date(2027, 2, 8), "春节")
    ]
    assert svc.parse_day_spec("２０２７-01-02") == [(date(2027, 1, 2), "")]
    for bad in ("2027-02-30", "soon", "2027-02-08..2027-02-06"):
        with pytest.raises(UserError):
            svc.parse_day_spec(bad)
