"""The merge index's bulk paths give what merging row by row gives."""

from __future__ import annotations

from netplanner.domain.entities import Contact
from netplanner.services.importers.merging import (
    MergeIndex,
    MergeTarget,
    merge_keys,
    name_key,
)

PEOPLE = [
    Contact("Ana", "Ferreira", company="Farfetch", profile_url="https://www.linkedin.com/in/ana"),
    Contact("  Jonas ", "MÜLLER", company=" Siemens  Healthineers ", emails=["j@example.de"]),
    Contact("Straße", "İnan", source="vcard", source_key="uid-1"),
    Contact("Ana", "Ferreira", company="Farfetch", profile_url="https://www.linkedin.com/in/ana2"),
    Contact("Chen\tWei", "", company=None, emails=["c@example.com", "c2@example.com"]),
]


def _state(index: MergeIndex) -> tuple[object, ...]:
    """The index as plain values: which contact each key and name leads to, each target."""
    position = {id(t): n for n, t in enumerate(index.targets)}
    return (
        {key: position[id(t)] for key, t in index.by_key.items()},
        {name: position[id(t)] for name, t in index.by_name.items()},
        {name: [position[id(t)] for t in ts] for name, ts in index.keyless.items()},
        [vars(t) for t in index.targets],
    )


def test_adding_new_people_at_once_indexes_them_as_merging_one_by_one() -> None:
    rows = [(c, line, merge_keys(c), name_key(c)) for line, c in enumerate(PEOPLE, 5)]
    known = Contact("Eva", "Lima", profile_url="https://www.linkedin.com/in/eva")
    at_once, one_by_one = MergeIndex([(known, None)]), MergeIndex([(known, None)])
    added = at_once.add_new(rows)
    for contact, line, _, _ in rows:
        one_by_one.merge(contact, line)
    assert added is not None and [t.contact for t in added] == PEOPLE
    assert all(isinstance(t, MergeTarget) and t.is_new for t in added)
    assert _state(at_once) == _state(one_by_one)


def test_people_who_might_match_are_not_added_at_once() -> None:
    ana = PEOPLE[0]
    rows = [(c, line, merge_keys(c), name_key(c)) for line, c in enumerate(PEOPLE, 5)]
    same_url = Contact("Ana", "F.", profile_url=ana.profile_url)
    assert (
        MergeIndex().add_new([*rows, (same_url, 9, merge_keys(same_url), ("a", "f.", ""))]) is None
    )
    assert MergeIndex([(same_url, None)]).add_new(rows) is None  # a key already known
    keyless = Contact("Bo", "Berg")
    assert MergeIndex().add_new([(keyless, 1, [], name_key(keyless))]) is None
    index = MergeIndex([(Contact("Ana", "Ferreira", company="Farfetch"), None)])
    assert index.add_new(rows) is None  # a keyless contact of that name may be them
    assert len(index.targets) == 1
