"""One-leaf variation: unequal values of the same type as a scalar, and pairs of them.

Two inputs that differ in exactly one leaf (one int, one Decimal, one aware time, one
UUID...) must get two keys; random pairs almost never differ in just one leaf, so the
key checks derive them from generated leaves here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import enum
import math
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any

from ._identity import must_differ

__all__ = ["guarded", "leaf_pairs", "leaf_variants"]


# Variants stay within the default 28 significant digits, so a key that normalises
# Decimals in the default context (allowed: 1.0 and 1.00 may share a key) still tells
# them apart; only the contract's distinctions are asked for.
_DECIMALS = decimal.Context(prec=28, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


# -- one leaf: an unequal value of the same type -------------------------------------------


def _int_variants(v: int) -> list[Any]:
    return [v + 1, v - 1, -v if v else 7, v ^ (1 << 31), v ^ (1 << 53), v ^ (1 << 64)]


def _float_variants(v: float) -> list[Any]:
    out = [math.nextafter(v, math.inf), math.nextafter(v, -math.inf), v + 1.0, -v if v else 1.0]
    return [f for f in out if math.isfinite(f)]


def _str_variants(v: str) -> list[Any]:
    out = [v + "x", "x" + v, v[:-1], v.swapcase(), v.upper(), v.lower(), v.casefold()]
    if v:
        last = chr(ord(v[-1]) ^ 1)
        first = chr(ord(v[0]) ^ 1)
        out += [v[:-1] + last, first + v[1:]]
        mid = len(v) // 2
        out.append(v[:mid] + chr(ord(v[mid]) ^ 2) + v[mid + 1 :])
    out += [unicodedata.normalize(form, v) for form in ("NFC", "NFD", "NFKC", "NFKD")]
    # Whitespace at either end, and the value stripped: " a" is not "a".
    out += [" " + v, v + " ", "\t" + v, v + "\n", v.strip()]
    return out


def _bytes_variants(v: bytes) -> list[Any]:
    out: list[Any] = [v + b"\x00", b"x" + v, v.upper(), v.lower()]
    if v:
        out += [v[:-1] + bytes([v[-1] ^ 1]), bytes([v[0] ^ 0x80]) + v[1:], v[:-1]]
    return out


def _decimal_variants(v: decimal.Decimal) -> list[Any]:
    if v.is_nan():
        return [decimal.Decimal("Infinity"), decimal.Decimal(0)]
    if v.is_infinite():
        return [-v, decimal.Decimal("NaN"), decimal.Decimal(0)]
    if v.is_zero():
        return [decimal.Decimal(1), decimal.Decimal("-1"), decimal.Decimal("1E-9")]
    return [
        _DECIMALS.next_plus(v),
        _DECIMALS.next_minus(v),
        _DECIMALS.add(v, decimal.Decimal(1)),
        _DECIMALS.add(v, decimal.Decimal("0.1")),
        _DECIMALS.scaleb(v, 1),
        -v,
    ]


def _shift_offset(offset: dt.timedelta, minutes: int) -> dt.timezone:
    moved = offset + dt.timedelta(minutes=minutes)
    if abs(moved) >= dt.timedelta(hours=24):
        moved = offset - dt.timedelta(minutes=minutes)
    return dt.timezone(moved)


def _datetime_variants(v: dt.datetime) -> list[Any]:
    out: list[Any] = []
    for delta in (dt.timedelta(microseconds=1), dt.timedelta(seconds=1), dt.timedelta(days=1)):
        for sign in (1, -1):
            with contextlib.suppress(OverflowError):
                out.append(v + sign * delta)
    offset = v.utcoffset()
    if offset is None:
        out += [v.replace(tzinfo=dt.UTC), v.replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))]
    else:  # the same wall clock in another zone is another instant
        out += [v.replace(tzinfo=None), v.replace(tzinfo=_shift_offset(offset, 1)),
                v.replace(tzinfo=_shift_offset(offset, 60))]  # fmt: skip
    return out


def _date_variants(v: dt.date) -> list[Any]:
    out: list[Any] = []
    for days in (1, -1, 365):
        with contextlib.suppress(OverflowError):
            out.append(v + dt.timedelta(days=days))
    return out


def _time_variants(v: dt.time) -> list[Any]:
    out: list[Any] = [
        v.replace(microsecond=(v.microsecond + 1) % 10**6),
        v.replace(second=(v.second + 1) % 60),
        v.replace(hour=(v.hour + 1) % 24),
    ]
    offset = v.utcoffset()
    if offset is None:
        out += [v.replace(tzinfo=dt.UTC), v.replace(tzinfo=dt.timezone(dt.timedelta(hours=-3)))]
    else:
        out += [v.replace(tzinfo=None), v.replace(tzinfo=_shift_offset(offset, 1)),
                v.replace(tzinfo=_shift_offset(offset, 60))]  # fmt: skip
    return out


def _uuid_variants(v: uuid.UUID) -> list[Any]:
    return [
        uuid.UUID(int=v.int ^ 1),
        uuid.UUID(int=v.int ^ (1 << 127)),
        uuid.UUID(int=v.int ^ (1 << 64)),
    ]


def leaf_variants(leaf: object) -> list[Any]:
    """Unequal values of the same type as the scalar ``leaf`` (empty for ``None``)."""
    if isinstance(leaf, enum.Enum):
        return [m for m in type(leaf) if m is not leaf]
    if isinstance(leaf, bool):
        return [not leaf]
    if isinstance(leaf, int):
        return _int_variants(leaf)
    if isinstance(leaf, float):
        return _float_variants(leaf)
    if isinstance(leaf, str):
        return _str_variants(leaf)
    if isinstance(leaf, bytes):
        return _bytes_variants(leaf)
    if isinstance(leaf, decimal.Decimal):
        return _decimal_variants(leaf)
    if isinstance(leaf, uuid.UUID):
        return _uuid_variants(leaf)
    if isinstance(leaf, dt.datetime):
        return _datetime_variants(leaf)
    if isinstance(leaf, dt.date):
        return _date_variants(leaf)
    if isinstance(leaf, dt.time):
        return _time_variants(leaf)
    return []


_LONG = "k" * 1000


def guarded(derive: Callable[[object], list[Any]], value: object) -> list[Any]:
    # A kit check must never blame the target for the kit's own error: a value the
    # derivations cannot handle simply has no neighbours of that kind.
    try:
        return derive(value)
    except Exception:
        return []


def leaf_pairs(leaf: object) -> list[tuple[Any, Any]]:
    """Pairs of same-type values derived from ``leaf`` that must get different keys.

    ``(leaf, variant)`` for every variant, plus pairs that need both sides changed: two
    case variants, two normalisation forms, a 1,000-character common prefix, ints past
    the float and 64-bit ranges.
    """
    pairs: list[tuple[Any, Any]] = [(leaf, v) for v in guarded(leaf_variants, leaf)]
    if isinstance(leaf, str):
        pairs += [
            (leaf + "a", leaf + "A"),
            (leaf + "\ufb01", leaf + "fi"),
            (leaf + "\u00e9", leaf + "e\u0301"),
            (_LONG + leaf + "a", _LONG + leaf + "b"),
            (leaf + _LONG + "a", leaf + _LONG + "b"),
        ]
    elif isinstance(leaf, int) and not isinstance(leaf, (bool, enum.Enum)):
        big = (leaf << 64) | 1
        pairs += [(big, big + 1), (big, big + 2), (-big, -big - 2)]
    elif isinstance(leaf, bytes):
        pairs += [(leaf + b"a", leaf + b"A"), (leaf + b"\x00", leaf + b"\x01")]
    return [(a, b) for a, b in pairs if must_differ(a, b)]
