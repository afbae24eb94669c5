"""reader.core.reading.records: a builder makes real, frozen records, equal to the ordinary ones."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from reader.core.post import Post, PostFormat
from reader.core.reading.records import builder_for
from reader.core.reading.scan import Candidate

POST_FIELDS = (
    "_posts/2022-03-25-a.md", "标题", datetime(2022, 3, 25, tzinfo=UTC), ("财经",), ("新闻",),
    "a", PostFormat.HTML, False, True, ("a warning",), "摘要", 1234, 5678, "/news/a/",
)  # fmt: skip


@pytest.mark.parametrize(
    ("record", "values"),
    [
        (Post, POST_FIELDS),
        (Candidate, ("_posts/2022-03-25-a.md", 10, 20, False, True, ("news",), True)),
    ],
)
def test_a_built_record_is_the_real_frozen_record(record: type, values: tuple) -> None:
    built = builder_for(record)(*values)
    built.__class__ = record
    ordinary = record(*values)
    assert type(built) is record
    assert built == ordinary and hash(built) == hash(ordinary) and repr(built) == repr(ordinary)
    assert dataclasses.astuple(built) == dataclasses.astuple(ordinary)
    first = dataclasses.fields(record)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, first, "changed")


def test_a_builder_refuses_a_record_with_the_wrong_number_of_fields() -> None:
    with pytest.raises(TypeError):
        builder_for(Candidate)("only a path")
