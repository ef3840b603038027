"""Request types (诉求类型) and unit kinds, with the words that name them upstream."""

from __future__ import annotations

from enum import StrEnum


class RequestType(StrEnum):
    CONSULT = "咨询"
    HELP = "求助"
    COMPLAINT = "投诉"
    REPORT = "举报"
    SUGGEST = "建议"
    PRAISE = "表扬"
    OTHER = "其他"


_TYPE_ALIASES = {
    "咨询": RequestType.CONSULT, "询问": RequestType.CONSULT, "政策咨询": RequestType.CONSULT,
    "求助": RequestType.HELP, "求决": RequestType.HELP, "求助类": RequestType.HELP,
    "投诉": RequestType.COMPLAINT, "投诉类": RequestType.COMPLAINT,
    "举报": RequestType.REPORT, "举报类": RequestType.REPORT,
    "建议": RequestType.SUGGEST, "意见建议": RequestType.SUGGEST, "意见": RequestType.SUGGEST,
    "表扬": RequestType.PRAISE, "感谢": RequestType.PRAISE, "表扬感谢": RequestType.PRAISE,
    "其他": RequestType.OTHER, "其它": RequestType.OTHER,
}


def parse_request_type(text: str | None) -> RequestType:
    """Map an upstream type word to a RequestType; anything unknown is 其他."""
    if not text:
        return RequestType.OTHER
    t = text.strip()
    if t in _TYPE_ALIASES:
        return _TYPE_ALIASES[t]
    for word, rt in _TYPE_ALIASES.items():
        if word in t:
            return rt
    return RequestType.OTHER


class UnitKind(StrEnum):
    TOWNSHIP = "township"  # 乡镇 / 街道
    DEPARTMENT = "department"  # 县直部门
    OTHER = "other"  # 企业、垂管单位等
