"""Whether a reply is about what was asked: key character pairs and uncommon characters of
the request, compared with the reply's (used by the off_topic rule of domain/review.py).

Both texts go through domain.repeats.normalize (hotline boilerplate such as 市民来电反映 and
function characters dropped); generic pairs (来电, 处理, 问题 ...) and characters common to any
request or reply are then left out, and a few synonyms folded (犬→狗, 薪→资, 吵→噪)."""

from __future__ import annotations

import re

from hotline_tui.domain.repeats import normalize as topic_text

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
# Generic character pairs of requests and replies: they do not tell the matter.
_GENERIC_PAIRS = frozenset(
    "来电 电人 反映 希望 处理 解决 问题 部门 相关 市民 要求 已经 没有 不知 知道 现在 一直 多次 请求 帮助"
    " 咨询 投诉 举报 建议 求助 尽快 什么 怎么 可以 不能 自己 家里 我们 他们 每天 晚上 时候 这个 那个"
    " 一个 其他 其它 无果 好几 几次 不到 不了 之后 以后 今年 去年 前年 情况 工作 人员 单位 政府 县里"
    " 如何 为什 么办 能否 是否 还是 还没 不是 告知 回复 答复 联系 电话 市长 热线 服务 市政 城市 管理"
    " 城乡 建设 社会 保障 其他 问询 诉求 需要 进行".split()
)
# Characters common to any request or reply: they do not tell the matter either.
_COMMON_CHARS = frozenset(
    "来电人反映希望处理解决问题部门相关市民要求已经没有不知道现在一直多次请求帮助咨询投诉举报建议求助尽快"
    "什么怎么可以能自己家里我们他们每天晚上时候这个那其他无果好几到了之后以前今年去年情况工作员单位政府县"
    "镇乡村区市局日月年时分号上下午中前后内外多少大小高长新老说话表示称经查核实联系告知回复答复进行对于把被"
    "让给从向由将已也还又就都很太最更再才只没不无非是为和与及或但而因所以如果虽然的了着过吗呢吧啊个些位名次"
    "天周元万千百十九八七六五四三二一两零有在这会要去做得地看想用行出开入发生作成本该此其等并且如同意见当场"
    "处理办理安排协调当日全部同时目前今后及时相应具体情况反馈满意认可理解公司所站中心社区小组户家"
)
# Words a request and its reply commonly put differently (狗 / 犬, 欠薪 / 工资).
_SYNONYMS = str.maketrans({"犬": "狗", "薪": "资", "吵": "噪"})


def key_pairs(text: str) -> set[str]:
    """Adjacent character pairs of the CJK runs, generic pairs left out."""
    out: set[str] = set()
    for run in _CJK_RUN.findall(text.translate(_SYNONYMS)):
        out.update(a + b for a, b in zip(run, run[1:], strict=False))
    return out - _GENERIC_PAIRS


def key_chars(text: str) -> set[str]:
    """Uncommon single CJK characters."""
    return set("".join(_CJK_RUN.findall(text.translate(_SYNONYMS)))) - _COMMON_CHARS


def request_text(title: str, content: str, category: str = "") -> str:
    """The request's title, content and category, normalised for comparing."""
    text = " ".join((title, content, category.replace("/", " ")))
    return topic_text(text)
