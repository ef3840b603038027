"""Copy-paste detection for replies: what stays the same when a unit pastes one reply onto
another order, an exact-copy key, MinHash/LSH band keys for near copies, and a similarity.

Everything here is deterministic across processes and machines (hashlib, a fixed seed),
never Python's salted hash(): the keys are stored in the database and looked up later.

- normalize_for_copy: fold full-width characters, drop phone numbers, digits, Chinese
  numerals, dates, person-ish tokens (王某 / 李先生 / 经办人：张敏) and place-ish tokens
  (幸福路 / 东沟村 / 滨河小区 / 3号楼), punctuation and spaces. Two replies that differ only
  in those normalise to the same string.
- fingerprint: 16 hex characters of BLAKE2b over the normalised text: the exact-copy key.
- band_keys: NUM_BANDS keys, each a hash of ROWS_PER_BAND MinHash values over the character
  3-shingles of the normalised text, as signed integers within 63 bits (fit SQLite INTEGER).
  Two texts with shingle-Jaccard s share at least one key with probability
  1 - (1 - s**3)**8: 0.97 at s = 0.7, 0.89 at s = 0.6, 0.20 at s = 0.3, 0.06 at s = 0.2.
- similarity: Jaccard of the 3-shingle sets of the normalised texts (0..1).
"""

from __future__ import annotations

import hashlib
import random
import re
from functools import lru_cache

SHINGLE = 3
NUM_BANDS = 8
ROWS_PER_BAND = 3
_PRIME = (1 << 61) - 1
_rng = random.Random(20260601)  # fixed seed: the same permutations in every process
_PERMS = tuple(
    (_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(NUM_BANDS * ROWS_PER_BAND)
)

_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_PHONE = re.compile(r"\d{3,4}-\d{7,8}|\d{7,}")
_DATE = re.compile(r"\d+\s*[年月日号时点分]|\d+\s*[:：/.-]\s*\d+")
_DIGITS = re.compile(r"\d+")
_CN_NUM = re.compile("[〇零一二三四五六七八九十两百千万亿]")
# People: 王某 / 王某某 / 李先生 / 赵女士 / 张师傅 ; names after a role word.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳"
    "甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解"
    "牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边"
    "卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_PERSON = re.compile(
    f"[{_SURNAMES}](?:某某|某|先生|女士|师傅|老师|同志|大爷|大妈|阿姨|经理|主任|书记|所长|队长|站长|局长|镇长|乡长|科长)"
    "|(?:经办人|承办人|联系人|办理人|维修人|负责人|责任人|网格员|民警|执法人员|工作人员|监察员|技术员|"
    "干部|村医|社工)[：:\\s]*(?:[\u4e00-\u9fff]{0,6}\\s)?"
    f"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}(?=[，,。；;、\\s（(电手0-9]|$)"
)
# Places: up to three characters before a place suffix (幸福路, 东沟村, 滨河小区, 5号楼).
_PLACE = re.compile(
    "[\u4e00-\u9fff]{1,3}(?:小区|社区|花园|家园|公寓|新村|村|苑|大道|路|街|巷|胡同|号楼|单元|楼|室|镇|乡|街道)"
)
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def normalize_for_copy(text: str) -> str:
    """The part of a reply that stays the same when it is pasted onto another order."""
    s = (text or "").translate(_FOLD).lower()
    s = _PHONE.sub(" ", s)
    s = _DATE.sub(" ", s)
    s = _DIGITS.sub(" ", s)
    s = _PERSON.sub(" ", s)
    s = _PLACE.sub(" ", s)
    s = _CN_NUM.sub("", s)
    return _NOT_WORD.sub("", s)


def fingerprint(text: str) -> str:
    """16 hex characters identifying the normalised text: the exact copy-paste key."""
    return hashlib.blake2b(normalize_for_copy(text).encode("utf-8"), digest_size=8).hexdigest()


def _shingle_set(norm: str) -> frozenset[str]:
    if len(norm) <= SHINGLE:
        return frozenset([norm]) if norm else frozenset()
    return frozenset(norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1))


@lru_cache(maxsize=8192)
def shingles(text: str) -> frozenset[str]:
    """The character 3-shingles of normalize_for_copy(text) (cached: candidates recur)."""
    return _shingle_set(normalize_for_copy(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def similarity(a: str, b: str) -> float:
    """0..1: Jaccard of the character 3-shingles of the normalised texts."""
    return jaccard(shingles(a), shingles(b))


def _h64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")


def band_keys(text: str) -> list[int]:
    """NUM_BANDS LSH band keys of the text's MinHash signature; [] for an empty text.

    Each key is a signed integer in [-2**62, 2**62): band number and its rows hashed
    together, so band 1 of one text never meets band 2 of another."""
    sh = shingles(text)
    if not sh:
        return []
    hashed = [_h64(x) for x in sh]
    sig = [min((a * x + b) % _PRIME for x in hashed) for a, b in _PERMS]
    keys = []
    for band in range(NUM_BANDS):
        rows = sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        raw = band.to_bytes(1, "big") + b"".join(r.to_bytes(8, "big") for r in rows)
        digest = hashlib.blake2b(raw, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True) >> 1)
    return keys
