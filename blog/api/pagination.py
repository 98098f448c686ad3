"""Keyset (cursor) pagination: stable under inserts, one indexed range scan per page.

A cursor is the sort-key values of the last item served, base64-encoded JSON. It is opaque to
clients and checked on the way in: a cursor that does not decode is a 422 on the `cursor` field.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, literal, or_, tuple_
from sqlalchemy.sql import ColumnElement

from blog.services.errors import ValidationFailed


def _identity(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class SortKey:
    """One column of a page's order, with how its value travels inside a cursor."""

    column: ColumnElement
    descending: bool = False
    to_json: Callable[[Any], Any] = field(default=_identity)
    from_json: Callable[[Any], Any] = field(default=_identity)

    def after(self, value: Any) -> ColumnElement[bool]:
        return self.column < value if self.descending else self.column > value

    def ordering(self) -> ColumnElement:
        return self.column.desc() if self.descending else self.column.asc()

    def reversed(self) -> SortKey:
        return SortKey(self.column, not self.descending, self.to_json, self.from_json)


def _aware_datetime(value: str) -> datetime:
    """Read a cursor's timestamp; a naive one was not made by us (and cannot be compared)."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("naive datetime in cursor")
    return moment


def datetime_key(column: ColumnElement, descending: bool = False) -> SortKey:
    return SortKey(column, descending, datetime.isoformat, _aware_datetime)


#: The range of the INTEGER columns keys sort on; a bigger number is a 500 on PostgreSQL.
_INT_LIMIT = 2**31


def _typed(key: SortKey, value: Any) -> Any:
    """Return `key`'s value from a cursor, refusing one whose type its column cannot compare."""
    value = key.from_json(value)
    try:
        expected = key.column.type.python_type
    except NotImplementedError:
        return value
    if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
        raise TypeError(f"cursor value {value!r} is not a {expected.__name__}")
    if expected is int and not -_INT_LIMIT <= value < _INT_LIMIT:
        raise ValueError(f"cursor value {value!r} is out of range")
    return value


@dataclass
class Page:
    items: list
    next_cursor: str | None
    #: Where the page before this one starts: None when this is the first page, "" when the
    #: page before is the first (no cursor), else its cursor. Only `paginate(with_previous=...)`.
    previous_cursor: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    """Return the cursor's values, typed for `keys`; raise ValidationFailed when it is not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError("wrong length")
        return [_typed(key, value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise ValidationFailed({"cursor": ["Not a valid cursor."]}) from error


def after_cursor(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Build the condition "after the cursor's row" in `keys` order.

    Keys sorting one way make a row-value comparison, `(k1, k2) > (v1, v2)` (SQLite >= 3.15,
    PostgreSQL), which both databases narrow with the index as a range. Mixed directions need
    `(k1 after v1) OR (k1 = v1 AND k2 after v2) OR ...`.
    """
    if len(keys) > 1 and len({key.descending for key in keys}) == 1:
        columns = tuple_(*(key.column for key in keys))
        cursor = tuple_(*(literal(value, key.column.type) for key, value in zip(keys, values,
                                                                                 strict=True)))
        return columns < cursor if keys[0].descending else columns > cursor
    clauses = []
    for position, key in enumerate(keys):
        equal_before = [keys[i].column == values[i] for i in range(position)]
        clauses.append(and_(*equal_before, key.after(values[position])))
    return or_(*clauses)


def paginate(
    session,
    statement: Select,
    keys: Sequence[SortKey],
    *,
    limit: int,
    cursor: str | None,
    values_of: Callable[[Any], Sequence[Any]],
    scalars: bool = True,
    with_previous: bool = False,
) -> Page:
    """Run `statement` for one page in `keys` order, starting after `cursor`.

    `with_previous` also finds where the page before starts (one more query, on the same
    index read backwards), for pages that link both ways.
    """
    base = statement
    if cursor:
        statement = statement.where(after_cursor(keys, decode_cursor(cursor, keys)))
    statement = statement.order_by(*(key.ordering() for key in keys)).limit(limit + 1)
    rows = _rows(session, statement, scalars)
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _cursor_of(keys, values_of(rows[-1])) if has_more and rows else None
    page = Page(rows, next_cursor)
    if with_previous and cursor and rows:
        page.previous_cursor = _previous_cursor(session, base, keys, values_of(rows[0]), limit,
                                                values_of, scalars)
    return page


def _rows(session, statement: Select, scalars: bool) -> list:
    """Run `statement`: its entities (joined eager loads made unique), or its rows."""
    if scalars:
        return list(session.scalars(statement).unique())
    return list(session.execute(statement))


def _cursor_of(keys: Sequence[SortKey], values: Sequence[Any]) -> str:
    return encode_cursor([key.to_json(value) for key, value in zip(keys, values, strict=True)])


def _previous_cursor(session, statement: Select, keys: Sequence[SortKey], first: Sequence[Any],
                     limit: int, values_of: Callable, scalars: bool) -> str | None:
    """Return the cursor of the page before the one starting at `first` ("" for the first)."""
    backwards = [key.reversed() for key in keys]
    statement = (statement.where(after_cursor(backwards, first))
                 .order_by(*(key.ordering() for key in backwards)).limit(limit + 1))
    rows = _rows(session, statement, scalars)
    if not rows:
        return None
    if len(rows) <= limit:
        return ""
    return _cursor_of(keys, values_of(rows[limit]))
