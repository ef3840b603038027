"""Header detection: which spreadsheet column holds which order field, by name and alias
(built-in aliases plus the clerk's own in the aliases config file)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline_tui.errors import UserError

# field -> the header names the upstream platforms use for it (first is the canonical name)
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "order_no": ("工单编号", "工单号", "诉求编号", "受理编号"),
    "received_at": ("来电时间", "受理时间"),
    "caller_name": ("来电人", "来电人姓名", "诉求人"),
    "caller_phone": ("联系电话", "来电号码", "来电人电话"),
    "request_type": ("诉求类型", "诉求类别", "工单类型"),
    "category": ("问题分类",),
    "title": ("标题", "诉求标题"),
    "content": ("诉求内容", "主要内容", "反映内容"),
    "area": ("所属区域", "被反映街乡镇"),
    "address": ("事发地址",),
    "upstream_due_at": ("办理时限", "办结时限"),
    "upstream_unit": ("承办单位", "主办单位"),
    "confidential": ("是否保密",),
    "anonymous": ("是否匿名",),
    "urgency": ("紧急程度",),
    "source": ("工单来源", "渠道"),
}
FIELDS: tuple[str, ...] = tuple(BUILTIN_ALIASES)

HEADER_SCAN_ROWS = 20  # the header is looked for among the first rows of a sheet
MIN_OTHER_FIELDS = 2  # besides the order number, a header names at least this many fields

_EDGE = re.compile(r"^[\s*:：]+|[\s*:：]+$")
_SPACES = re.compile(r"\s+")


def norm_header(value: object) -> str:
    """Header text for matching: NFKC (full-width folded), no spaces or line breaks,
    no leading/trailing asterisks or colons, lower case."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFKC", str(value))
    s = _SPACES.sub("", s)
    s = _EDGE.sub("", s)
    return s.lower()


@dataclass(frozen=True)
class HeaderMatch:
    """The header row (1-based, as the spreadsheet shows it) and field -> column index."""

    row: int
    columns: Mapping[str, int]
    labels: Mapping[str, str]  # field -> header text as written in the file


def alias_table(user: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Normalised header text -> field. The clerk's aliases win over the built-in ones."""
    table: dict[str, str] = {}
    for field, names in BUILTIN_ALIASES.items():
        table[norm_header(field)] = field
        for name in names:
            table[norm_header(name)] = field
    for field, names in (user or {}).items():
        for name in names:
            key = norm_header(name)
            if key:
                table[key] = field
    return table


def match_header(values: Sequence[Any], table: Mapping[str, str], row: int) -> HeaderMatch | None:
    """A HeaderMatch when `values` names the order number and enough other fields."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for idx, cell in enumerate(values):
        field = table.get(norm_header(cell))
        if field and field not in columns:  # the first column of a field wins
            columns[field] = idx
            labels[field] = " ".join(str(cell).split())
    if "order_no" in columns and len(columns) - 1 >= MIN_OTHER_FIELDS:
        return HeaderMatch(row=row, columns=columns, labels=labels)
    return None


def load_user_aliases(path: Path) -> dict[str, list[str]]:
    """The clerk's aliases from a TOML file such as::

        [aliases]
        order_no = ["热线编号", "编号"]
        caller_phone = "手机"

    A missing file means no extra aliases; a broken one is a UserError naming the file.
    """
    import tomllib

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UserError("import.alias_config_bad", path=path, reason=exc.strerror) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UserError("import.alias_config_bad", path=path, reason="not UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError("import.alias_config_bad", path=path, reason=str(exc)) from exc
    section = data.get("aliases", {})
    if not isinstance(section, dict):
        raise UserError("import.alias_config_bad", path=path, reason="[aliases] is not a table")
    out: dict[str, list[str]] = {}
    for field, names in section.items():
        if field not in BUILTIN_ALIASES:
            raise UserError("import.alias_config_field", path=path, field=field,
                            fields=", ".join(FIELDS))
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise UserError("import.alias_config_bad", path=path,
                            reason=f"{field} must be a list of header names")
        out[field] = names
    return out


def user_alias_table() -> dict[str, str]:
    """The alias table with the clerk's config file (hotline_tui.config.aliases_file())."""
    from hotline_tui import config

    return alias_table(load_user_aliases(config.aliases_file()))
