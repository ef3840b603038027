"""The units directory (乡镇, 县直部门, others): list, add, edit, retire, look up by Chinese,
pinyin or initials, and import the office's unit list (.xlsx / .csv / .json)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from hotline_tui.domain.kinds import UnitKind
from hotline_tui.domain.normalize import clean_phone, clean_text
from hotline_tui.domain.suggest import ANY_AREA, AREA_FEATURE
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.store.models_triage import OrderAssist, TriageStat, UnitReturn

U = Unit.__table__.c
MAX_NAME = 60


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    short_name: str
    kind: str  # township | department | other
    phone: str
    leader: str
    pinyin: str
    initials: str
    retired: bool
    usage: int = 0  # how many orders were triaged to it (from the suggestion statistics)

    @property
    def label(self) -> str:
        """The name to show in narrow places: the short name when there is one."""
        return self.short_name or self.name


@dataclass(frozen=True)
class UnitMatch:
    unit: UnitInfo
    rank: int  # 0 exact, 1 prefix, 2 inside the name / initials
    matched: str  # which text matched: the name, the short name, pinyin or initials


@dataclass
class UnitImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"row": r, "reason": why} for r, why in self.errors],
        }


# ---------------------------------------------------------------- kinds and pinyin

_KIND_WORDS = {
    "township": UnitKind.TOWNSHIP, "乡镇": UnitKind.TOWNSHIP, "街道": UnitKind.TOWNSHIP,
    "乡": UnitKind.TOWNSHIP, "镇": UnitKind.TOWNSHIP, "乡镇街道": UnitKind.TOWNSHIP,
    "department": UnitKind.DEPARTMENT, "县直部门": UnitKind.DEPARTMENT,
    "部门": UnitKind.DEPARTMENT, "县直单位": UnitKind.DEPARTMENT, "县直": UnitKind.DEPARTMENT,
    "other": UnitKind.OTHER, "其他": UnitKind.OTHER, "其它": UnitKind.OTHER,
}
_TOWNSHIP_NAME = re.compile(r"(乡|镇|街道|街道办事处|街道办)$")
_DEPARTMENT_NAME = re.compile(r"(局|委|办|办公室|委员会|政府)$")


def parse_unit_kind(text: str | None, name: str = "") -> str:
    """Kind from the list's 类别 column: 乡镇/街道 -> township, 县直部门/部门 -> department,
    anything else -> other. An empty cell is guessed from the name's ending."""
    s = unicodedata.normalize("NFKC", text or "").strip().lower()
    s = re.sub(r"[\s()（）/、]+", "", s)
    if not s:
        if _TOWNSHIP_NAME.search(name):
            return UnitKind.TOWNSHIP.value
        if _DEPARTMENT_NAME.search(name):
            return UnitKind.DEPARTMENT.value
        return UnitKind.OTHER.value
    if s in _KIND_WORDS:
        return _KIND_WORDS[s].value
    if "乡镇" in s or "街道" in s:
        return UnitKind.TOWNSHIP.value
    if "部门" in s or "县直" in s:
        return UnitKind.DEPARTMENT.value
    return UnitKind.OTHER.value


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, str]:
    from hotline_tui.domain.pinyin import pinyin_of

    full, initials = pinyin_of(text)
    return full.lower(), initials.lower()


_COUNTY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,4}?[县市区](?=[\u4e00-\u9fff]{2,})")


def name_variants(name: str, short_name: str) -> list[str]:
    """The texts a clerk may type a unit by: its name, short name, and both without the
    county prefix (西山县人社局 -> 人社局, 县住建局 -> 住建局)."""
    out = [name]
    if short_name and short_name not in out:
        out.append(short_name)
    for text in (name, short_name):
        bare = _COUNTY_PREFIX.sub("", text) if text else ""
        if (bare.startswith("县") and len(bare) >= 3 and bare[1] not in "委政纪"
                and not bare.startswith("县人大")):  # 县住建局 -> 住建局; 县委办 stays
            bare = bare[1:]
        if bare and bare not in out:
            out.append(bare)
    return out


def _fold_query(text: str) -> tuple[str, bool]:
    """(query, is_latin): NFKC, no spaces; latin queries lower case without ' and -."""
    q = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if q and all(c.isascii() for c in q):
        return re.sub(r"['\-_]", "", q.lower()), True
    return q, False


def match_rank(query: str, is_latin: bool, keys: list[tuple[str, str, str]]) -> tuple[int, str] | None:
    """Best (rank, matched text) of `query` against a unit's keys [(text, pinyin, initials)];
    None when nothing matches. 0 exact, 1 prefix, 2 inside."""
    best: tuple[int, str] | None = None

    def take(rank: int, what: str) -> None:
        nonlocal best
        if best is None or rank < best[0]:
            best = (rank, what)

    for text, full, initials in keys:
        if is_latin:
            if query == initials or query == full:
                take(0, text)
            elif initials.startswith(query) or full.startswith(query):
                take(1, text)
            elif (len(query) >= 2 and query in initials) or (len(query) >= 3 and query in full):
                take(2, text)
        else:
            if query == text:
                take(0, text)
            elif text.startswith(query):
                take(1, text)
            elif query in text:
                take(2, text)
        if best is not None and best[0] == 0:
            break
    return best


# ---------------------------------------------------------------- reading


def unit_from_row(row: Any, usage: int = 0) -> UnitInfo:
    return UnitInfo(row.id, row.name, row.short_name, row.kind, row.phone, row.leader,
                    row.pinyin, row.initials, bool(row.retired), usage)


def _usage(conn: Connection) -> dict[int, int]:
    t = TriageStat.__table__.c
    rows = conn.execute(
        select(t.unit_id, t.n).where(t.feature == AREA_FEATURE, t.area == ANY_AREA)
    )
    return {r.unit_id: r.n for r in rows}


def list_units(engine: Engine, include_retired: bool = False) -> list[UnitInfo]:
    """Units by kind (townships first) and name; retired ones only on request."""
    q = select(Unit.__table__)
    if not include_retired:
        q = q.where(U.retired.is_(False))
    with engine.connect() as conn:
        usage = _usage(conn)
        rows = conn.execute(q).all()
    order = {UnitKind.TOWNSHIP.value: 0, UnitKind.DEPARTMENT.value: 1}
    units = [unit_from_row(r, usage.get(r.id, 0)) for r in rows]
    return sorted(units, key=lambda u: (u.retired, order.get(u.kind, 2), u.pinyin, u.name))


def lookup_units(
    engine: Engine, text: str, limit: int = 10, include_retired: bool = False
) -> list[UnitMatch]:
    """Units matching what the clerk typed: Chinese (黑龙), full pinyin prefix (heilonghe),
    initials (hlh). Exact and prefix matches first, then the most used units."""
    query, latin = _fold_query(text)
    with engine.connect() as conn:
        return _lookup(conn, query, latin, limit, include_retired)


def _lookup(conn: Connection, query: str, latin: bool, limit: int,
            include_retired: bool) -> list[UnitMatch]:
    q = select(Unit.__table__)
    if not include_retired:
        q = q.where(U.retired.is_(False))
    rows = conn.execute(q).all()
    usage = _usage(conn)
    found: list[tuple[tuple[Any, ...], UnitMatch]] = []
    for r in rows:
        info = unit_from_row(r, usage.get(r.id, 0))
        if not query:
            m: tuple[int, str] | None = (1, r.name)
        else:
            keys = [(r.name, (r.pinyin or "").lower(), (r.initials or "").lower())]
            for v in name_variants(r.name, r.short_name)[1:]:
                keys.append((v, *_pinyin(v)) if latin else (v, "", ""))
            if latin and not keys[0][1]:
                keys[0] = (r.name, *_pinyin(r.name))
            m = match_rank(query, latin, keys)
        if m is None:
            continue
        sort_key = (m[0], -info.usage, len(info.name), info.pinyin, info.name)
        found.append((sort_key, UnitMatch(info, m[0], m[1])))
    found.sort(key=lambda x: x[0])
    return [m for _, m in found[: max(0, limit)]]


def _candidates_text(matches: Iterable[UnitMatch]) -> str:
    return "、".join(m.unit.name for m in matches)


def resolve_unit(db: Session | Engine, ref: int | str | UnitInfo, *,
                 allow_retired: bool = False) -> UnitInfo:
    """One unit from an id, its name, short name, or what lookup finds unambiguously.

    UserError when nothing or more than one unit matches, or when the unit is retired.
    """
    if isinstance(db, Engine):
        with session(db) as s:
            return resolve_unit(s, ref, allow_retired=allow_retired)
    s = db
    if isinstance(ref, UnitInfo):
        ref = ref.id
    if isinstance(ref, int):
        row = s.get(Unit, ref)
        if row is None:
            raise UserError("unit.not_found", unit=str(ref))
        info = unit_from_row(row)
    else:
        text = clean_text(ref)
        if not text:
            raise UserError("unit.not_found", unit=str(ref))
        rows = s.exec(
            select(Unit.__table__).where((U.name == text) | (U.short_name == text))
        ).all()
        exact = [r for r in rows if r.name == text] or rows
        active = [r for r in exact if not r.retired]
        if len(active) == 1 or (len(exact) == 1 and allow_retired):
            info = unit_from_row((active or exact)[0])
        elif len(active) > 1:
            raise UserError("unit.ambiguous", unit=text,
                            candidates="、".join(r.name for r in active))
        elif exact:
            raise UserError("unit.retired", unit=exact[0].name)
        else:
            query, latin = _fold_query(text)
            matches = _lookup(s.connection(), query, latin, 9, allow_retired)
            exact_matches = [m for m in matches if m.rank == 0]
            if len(matches) == 1:
                info = matches[0].unit
            elif len(exact_matches) == 1:
                info = exact_matches[0].unit
            elif matches:
                raise UserError("unit.ambiguous", unit=text,
                                candidates=_candidates_text(matches[:8]))
            else:
                retired = _lookup(s.connection(), query, latin, 1, True)
                if retired and not allow_retired:
                    raise UserError("unit.retired", unit=retired[0].unit.name)
                raise UserError("unit.not_found", unit=text)
    if info.retired and not allow_retired:
        raise UserError("unit.retired", unit=info.name)
    return info


def get_unit(engine: Engine, ref: int | str) -> UnitInfo:
    """A unit by id, name, short name or unambiguous initials, retired ones included."""
    return resolve_unit(engine, ref, allow_retired=True)


# ---------------------------------------------------------------- changes


def _check_name(name: str) -> str:
    name = clean_text(name).replace("\n", " ")
    if not name:
        raise UserError("unit.name_required")
    if len(name) > MAX_NAME:
        raise UserError("unit.name_too_long", max=MAX_NAME)
    return name


def _set_names(u: Unit) -> None:
    u.pinyin, u.initials = _pinyin(u.name)


def add_unit(engine: Engine, name: str, kind: str = "department", short_name: str = "",
             phone: str = "", leader: str = "") -> UnitInfo:
    """Add a unit; its pinyin and initials are computed. UserError if the name exists."""
    name = _check_name(name)
    with session(engine) as s:
        if s.exec(select(U.id).where(U.name == name)).first():
            raise UserError("unit.exists", unit=name)
        u = Unit(name=name, short_name=clean_text(short_name), kind=parse_unit_kind(kind, name),
                 phone=clean_phone(phone), leader=clean_text(leader))
        _set_names(u)
        s.add(u)
        s.commit()
        return unit_from_row(u)


def edit_unit(engine: Engine, ref: int | str, *, name: str | None = None,
              short_name: str | None = None, kind: str | None = None,
              phone: str | None = None, leader: str | None = None) -> UnitInfo:
    """Change a unit's fields (None keeps a field); a new name gets new pinyin."""
    with session(engine) as s:
        info = resolve_unit(s, ref, allow_retired=True)
        u = s.get(Unit, info.id)
        assert u is not None
        if name is not None:
            name = _check_name(name)
            if name != u.name:
                if s.exec(select(U.id).where(U.name == name, U.id != u.id)).first():
                    raise UserError("unit.exists", unit=name)
                u.name = name
                _set_names(u)
        if short_name is not None:
            u.short_name = clean_text(short_name)
        if kind is not None:
            u.kind = parse_unit_kind(kind, u.name)
        if phone is not None:
            u.phone = clean_phone(phone)
        if leader is not None:
            u.leader = clean_text(leader)
        s.add(u)
        s.commit()
        return unit_from_row(u)


def retire_unit(engine: Engine, ref: int | str, retired: bool = True) -> UnitInfo:
    """Retire a unit (kept for the orders that point to it, gone from lookup), or
    bring it back with retired=False."""
    with session(engine) as s:
        info = resolve_unit(s, ref, allow_retired=True)
        u = s.get(Unit, info.id)
        assert u is not None
        u.retired = retired
        s.add(u)
        s.commit()
        return unit_from_row(u)


def unit_in_use(s: Session, unit_id: int) -> bool:
    """True when an order, an assist or a return points to the unit."""
    o = WorkOrder.__table__.c
    a = OrderAssist.__table__.c
    r = UnitReturn.__table__.c
    for q in (
        select(o.id).where(o.unit_id == unit_id).limit(1),
        select(a.order_id).where(a.unit_id == unit_id).limit(1),
        select(r.id).where(r.unit_id == unit_id).limit(1),
    ):
        if s.exec(q).first():
            return True
    return False


def delete_unit(engine: Engine, ref: int | str) -> None:
    """Delete a unit no order has ever pointed to; otherwise UserError (retire it)."""
    with session(engine) as s:
        info = resolve_unit(s, ref, allow_retired=True)
        if unit_in_use(s, info.id):
            raise UserError("unit.in_use", unit=info.name)
        t = TriageStat.__table__
        s.exec(t.delete().where(t.c.unit_id == info.id))
        s.exec(Unit.__table__.delete().where(U.id == info.id))
        s.commit()


# ---------------------------------------------------------------- import

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("单位名称", "名称", "单位", "单位全称", "name"),
    "short_name": ("简称", "单位简称", "short_name"),
    "kind": ("类别", "单位类别", "类型", "单位类型", "kind"),
    "phone": ("联系电话", "电话", "办公电话", "联系方式", "phone"),
    "leader": ("负责人", "联系人", "主要负责人", "leader"),
}
_HEADER = {
    re.sub(r"[\s*:：]", "", unicodedata.normalize("NFKC", alias)).lower(): key
    for key, aliases in HEADER_ALIASES.items()
    for alias in aliases
}
HEADER_SCAN_ROWS = 10
_FOOTER = re.compile(r"^(合计|总计|小计|说明|备注|注[:：])")


def _header_map(values: list[Any]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, v in enumerate(values):
        key = re.sub(r"[\s*:：]", "", unicodedata.normalize("NFKC", str(v or ""))).lower()
        fld = _HEADER.get(key)
        if fld and fld not in cols:
            cols[fld] = i
    return cols


def _rows_from_sheet(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], int | None]:
    """(row number, {field: value}) of the first table with a 单位名称 header."""
    from hotline_tui.services.importer.reading import open_sheets

    with open_sheets(path) as sheets:
        for sheet in sheets:
            header: dict[str, int] | None = None
            out: list[tuple[int, dict[str, Any]]] = []
            header_row = None
            for n, values in sheet.rows:
                if header is None:
                    if n > HEADER_SCAN_ROWS:
                        break
                    cols = _header_map(values)
                    if "name" in cols:
                        header, header_row = cols, n
                    continue
                rec = {f: (values[i] if i < len(values) else None) for f, i in header.items()}
                out.append((n, rec))
            if header is not None:
                return out, header_row
    raise UserError("unit.import_no_header", file=path.name)


UNIT_LIST_KEYS = ("units", "townships", "departments", "others")


def _rows_from_json(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise UserError("unit.import_bad_json", file=path.name, reason=str(exc)) from exc
    if isinstance(data, dict):  # {"units": [...]} or the demo county's lists by kind
        lists = [data.get(key) or [] for key in UNIT_LIST_KEYS]
        if not all(isinstance(x, list) for x in lists):
            raise UserError("unit.import_bad_json", file=path.name, reason="no list of units")
        data = [u for x in lists for u in x]
    if not isinstance(data, list):
        raise UserError("unit.import_bad_json", file=path.name, reason="no list of units")
    out = []
    for i, item in enumerate(data, start=1):
        if isinstance(item, dict):
            out.append((i, {k: item.get(k) for k in HEADER_ALIASES if k in item}))
        else:
            out.append((i, {"name": None, "kind": str(item)}))
    return out


def _apply_rows(engine: Engine, rows: list[tuple[int, dict[str, Any]]]) -> UnitImportReport:
    report = UnitImportReport()
    seen: dict[str, int] = {}
    with session(engine) as s:
        existing = {u.name: u for u in s.scalars(select(Unit)).all()}
        for n, rec in rows:
            values = [v for v in rec.values() if v not in (None, "")]
            if not values:
                continue  # a blank line
            name = clean_text(rec.get("name")).replace("\n", " ")
            if not name:
                report.errors.append((n, t("unit.row_missing_name")))
                continue
            if _FOOTER.match(name):
                continue
            if len(name) > MAX_NAME:
                report.errors.append((n, t("unit.name_too_long", max=MAX_NAME)))
                continue
            if name in seen:
                report.errors.append((n, t("unit.row_duplicate", row=seen[name])))
                continue
            seen[name] = n
            short = clean_text(rec.get("short_name"))
            kind_cell = clean_text(rec.get("kind"))
            phone = clean_phone(rec.get("phone"))
            leader = clean_text(rec.get("leader"))
            u = existing.get(name)
            if u is None:
                u = Unit(name=name, short_name=short, kind=parse_unit_kind(kind_cell, name),
                         phone=phone, leader=leader)
                _set_names(u)
                s.add(u)
                existing[name] = u
                report.added.append(name)
                continue
            before = (u.short_name, u.kind, u.phone, u.leader)
            if short:
                u.short_name = short
            if kind_cell:
                u.kind = parse_unit_kind(kind_cell, name)
            if phone:
                u.phone = phone
            if leader:
                u.leader = leader
            if not u.pinyin:
                _set_names(u)
            if (u.short_name, u.kind, u.phone, u.leader) != before:
                s.add(u)
                report.updated.append(name)
            else:
                report.unchanged.append(name)
        s.commit()
    return report


def import_units(engine: Engine, path: str | Path) -> UnitImportReport:
    """Import the office's unit list from .xlsx / .csv (UTF-8, UTF-8 with BOM, GB18030) or
    .json. Existing names are updated (empty cells keep the old value), new ones added;
    bad rows are reported with their row number and not applied."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        rows = _rows_from_json(path)
    else:
        rows, _ = _rows_from_sheet(path)
    return _apply_rows(engine, rows)


def load_units_file(engine: Engine, path: str | Path) -> UnitImportReport:
    """Same as import_units; the name the demo generator and the TUI use."""
    return import_units(engine, path)


def load_demo_county(engine: Engine) -> UnitImportReport:
    """Load the units of the demo county shipped in data/demo_county.json."""
    from hotline_tui.config import shipped_data

    path = shipped_data("demo_county.json")
    if not path.exists():
        raise UserError("unit.import_missing", file=str(path))
    return import_units(engine, path)


def count_units(engine: Engine, include_retired: bool = False) -> int:
    q = select(func.count()).select_from(Unit.__table__)
    if not include_retired:
        q = q.where(U.retired.is_(False))
    with engine.connect() as conn:
        return int(conn.execute(q).scalar() or 0)
