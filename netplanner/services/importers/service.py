"""The import use case: read files, merge them into the network, report what happened.

``preview`` is a dry run that writes nothing; ``run`` writes every file of one import in a
single transaction, so a failure or a cancellation leaves the database as it was. The GUI
calls both from a worker thread; progress is reported as rows are read and written.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from netplanner.domain.collector import CollectorPause
from netplanner.domain.contact_columns import ContactColumns
from netplanner.domain.entities import Contact, Invitation
from netplanner.domain.progress import NullProgress, ProgressSink, check_cancelled
from netplanner.services.importers.archive import Archive, ArchiveReport, is_zip, read_archive
from netplanner.services.importers.decoding import (
    MAX_IMPORT_BYTES,
    decode_with_notes,
    read_bytes,
)
from netplanner.services.importers.detection import FORMATS, PARSERS, detect_format
from netplanner.services.importers.merging import (
    Match,
    MergeIndex,
    MergeTarget,
    merge_keys,
    name_key,
    state_of,
)
from netplanner.services.importers.normalise import (
    check_record,
    need_checking,
    nothing_to_check,
)
from netplanner.services.importers.records import ImportFileError, ImportReport, ParsedFile
from netplanner.storage.repositories.imports import (
    CONTACT_TEXT_LIMITS,
    ImportBatch,
    ImportRepository,
    invitation_identity,
)
from netplanner.storage.repositories.snapshot_merge import SnapshotCounts

AUTO = "auto"


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cycle collector while tens of thousands of objects are built.

    The rows of an import create no reference cycles worth collecting, and repeated full
    collections over 30,000 live contacts would triple the import time."""
    pause = CollectorPause()
    try:
        yield
    finally:
        pause.resume()


@dataclass
class _Plan:
    reports: list[ImportReport] = field(default_factory=list)
    batch: ImportBatch = field(default_factory=ImportBatch)
    # The digest of the one row that touched each target; None once a second row touches
    # it, or when its row has no digest or had to be changed to be stored.
    digests: dict[MergeTarget, str | None] = field(default_factory=dict)
    held: set[int] = field(default_factory=set)  # stored contacts left alone: rows they hold
    touched: set[int] = field(default_factory=set)  # stored contacts rows were merged into
    # The last file's new people, never indexed, and their rows' digests (``_merge_file``).
    fresh: list[Contact] = field(default_factory=list)
    fresh_digests: list[str | None] = field(default_factory=list)
    # Or, where its parser gave columns, those columns and their digests (``_as_columns``).
    fresh_columns: list[tuple[ContactColumns, list[str | None]]] = field(default_factory=list)
    # The fields the new contacts may hold (``ImportBatch.create_fields``); None: any.
    fields: set[str] | None = field(default_factory=set)

    def touch(self, target: MergeTarget, digest: str | None) -> None:
        self.digests[target] = None if target in self.digests else digest


_CREATED: tuple[bool, tuple[object, ...], bytes | None] = (True, (), None)
# A row to merge: contact, line, digest, local id, the keys its parser found (or None).
_Row = tuple[Contact, int, str | None, int | None, list[str] | None]
_NO_NOTES: list[str] = []


class _Redo(Exception):
    """A row to merge touches a contact that another row was left alone for: merge all."""


class ImportService:
    """Imports contact exports (LinkedIn, vCard, Google, Outlook, NetPlanner JSON)."""

    def __init__(
        self,
        repo: ImportRepository,
        max_bytes: int = MAX_IMPORT_BYTES,
        before_write: Callable[[], object] | None = None,
    ) -> None:
        self.repo = repo
        self.max_bytes = max_bytes
        self.before_write = before_write  # the automatic backup, once the files are read

    def read(self, path: Path, fmt: str = AUTO) -> ParsedFile:
        """One file parsed (no merging); ``ImportFileError`` when it cannot be read at all."""
        return self.parse_bytes(read_bytes(path, self.max_bytes), str(path), fmt)

    def parse_bytes(self, data: bytes, name: str, fmt: str = AUTO) -> ParsedFile:
        """One file's bytes (or a zip member's, named ``<zip>:<member>``) parsed."""
        text, notes = decode_with_notes(data, name)
        if fmt == AUTO:
            fmt = detect_format(text, name)
        elif fmt not in PARSERS:
            raise ImportFileError(f"{fmt!r} is not an import format ({', '.join(FORMATS)}).")
        parsed = PARSERS[fmt](text, name)
        parsed.warnings[:0] = [(0, note) for note in notes]  # a guessed charset, said first
        if not parsed.count and not parsed.invitations and parsed.snapshot is None:
            if parsed.skipped:
                raise ImportFileError(
                    f"The file {name} holds no record that can be imported "
                    f"(line {parsed.skipped[0][0]}: {parsed.skipped[0][1]})."
                )
            what = "invitations" if fmt == "linkedin-invitations" else "contacts"
            raise ImportFileError(f"The file {name} holds no {what}.")
        return parsed

    def preview(
        self, paths: Sequence[Path], fmt: str = AUTO, progress: ProgressSink | None = None
    ) -> list[ImportReport]:
        """What importing these files would do; writes nothing."""
        with _paused_gc():
            plan = self._plan(paths, fmt, progress or NullProgress())
            if plan.batch.snapshot is not None:
                counts = self.repo.write(plan.batch, rehearse=True)
                self._add_snapshot_counts(plan.reports, counts)
            return plan.reports

    def run(
        self, paths: Sequence[Path], progress: ProgressSink | None = None, fmt: str = AUTO
    ) -> list[ImportReport]:
        """Import the files in one transaction; ``CancelledError`` leaves everything as it was."""
        sink = progress or NullProgress()
        with _paused_gc(), self.repo.exclusive():  # another import at once waits for this one
            plan = self._plan(paths, fmt, sink)
            if self.before_write is not None and plan.batch.changes_data:
                self.before_write()
            counts = self.repo.write(plan.batch, sink)
        if plan.batch.snapshot is not None:
            self._add_snapshot_counts(plan.reports, counts)
        return plan.reports

    @staticmethod
    def _add_snapshot_counts(reports: list[ImportReport], counts: SnapshotCounts) -> None:
        """Venues, trips, meetings and the rest count in the NetPlanner export's report."""
        for report in reports:
            if report.format == "netplanner-json":
                report.created += counts.created
                report.unchanged += counts.unchanged
                return

    # The dry run that ``run`` writes out ------------------------------------------------
    def _plan(self, paths: Sequence[Path], fmt: str, progress: ProgressSink) -> _Plan:
        """Read and merge every file; the batch to write and a report per file."""
        parsed_files, archives = self._read_all(paths, fmt, progress)
        has_digests = any(d for _, parsed in parsed_files for d in parsed.digests()[:1])
        marks = self.repo.import_marks() if has_digests else {}
        try:
            return self._merge_all(parsed_files, archives, marks, progress)
        except _Redo:
            # Merging changes the parsed records it folds together: read them again.
            parsed_files, archives = self._read_all(paths, fmt, progress)
            return self._merge_all(parsed_files, archives, {}, progress)

    def _read_all(
        self, paths: Sequence[Path], fmt: str, progress: ProgressSink
    ) -> tuple[list[tuple[str, ParsedFile]], dict[int, ArchiveReport]]:
        """Every file parsed, a zip's members in place of the zip (with its report)."""
        parsed_files: list[tuple[str, ParsedFile]] = []
        archives: dict[int, ArchiveReport] = {}  # a zip's report, before its first member's
        for number, path in enumerate(paths):
            check_cancelled(progress)
            progress.report(number, len(paths) * 2, f"Reading {path.name}")
            if path.is_file() and is_zip(path):  # a zip export (LinkedIn, Takeout) expands
                archive = self._read_archive(path, fmt)
                archives[len(parsed_files)] = archive.report
                parsed_files.extend(archive.members)
                continue
            parsed_files.append((str(path), self.read(path, fmt)))
        progress.report(len(paths), len(paths) * 2, "Comparing with your network")
        return parsed_files, archives

    def _merge_all(
        self,
        parsed_files: list[tuple[str, ParsedFile]],
        archives: dict[int, ArchiveReport],
        marks: dict[str, int],
        progress: ProgressSink,
    ) -> _Plan:
        """Merge every file's rows but those a contact already holds (``marks``)."""
        merges = any(
            parsed.snapshot is not None or any(d not in marks for d in parsed.digests())
            for _, parsed in parsed_files
        )
        # The stored contacts are read only when a row has to be merged with them.
        index = MergeIndex(self.repo.load_contacts() if merges else ())
        plan = _Plan()
        known_invitations = (
            self.repo.invitation_keys() if any(p.invitations for _, p in parsed_files) else set()
        )
        # The number of the last file with people to merge (``_merge_file``'s ``last``).
        with_people = [
            n for n, (_, p) in enumerate(parsed_files) if p.count or p.snapshot is not None
        ]
        last = with_people[-1] if with_people else 0
        for number, (label, parsed) in enumerate(parsed_files):
            if number in archives:
                plan.reports.append(archives[number])
            file_marks = marks if parsed.snapshot is None else {}
            report = self._merge_file(
                label, parsed, index, plan, progress, file_marks, last=number >= last
            )
            for invitation in (invitation for _, invitation in parsed.invitations):
                self._add_invitation(invitation, report, plan, known_invitations)
            plan.reports.append(report)
        batch = plan.batch
        batch.create_fields = None if plan.fields is None else frozenset(plan.fields)
        for target in index.targets:
            digest = plan.digests.get(target)
            if target.is_new:
                batch.creates.append(target.contact)
            elif target.original is None:
                continue  # no row of this import touched it
            elif target.changed:
                batch.updates.append(target.contact)
                if target.new_photo is not None and target.contact.id is not None:
                    batch.photos[target.contact.id] = target.new_photo
            else:
                if digest is not None and target.contact.id is not None:
                    batch.marks.append((target.contact.id, digest))
                continue
            if digest is not None:
                batch.digests[id(target.contact)] = digest
        # The last file's new people, never indexed (no later row could match them).
        batch.create_columns.extend(plan.fresh_columns)
        batch.creates.extend(plan.fresh)
        fresh = zip(plan.fresh, plan.fresh_digests, strict=True)
        batch.digests.update({id(c): digest for c, digest in fresh if digest is not None})
        return plan

    def _read_archive(self, path: Path, fmt: str) -> Archive:
        if fmt != AUTO and fmt not in PARSERS:
            raise ImportFileError(f"{fmt!r} is not an import format ({', '.join(FORMATS)}).")
        return read_archive(
            path, self.max_bytes, lambda data, name: self.parse_bytes(data, name, fmt)
        )

    def _merge_file(
        self,
        path: str,
        parsed: ParsedFile,
        index: MergeIndex,
        plan: _Plan,
        progress: ProgressSink,
        marks: dict[str, int],
        last: bool = False,
    ) -> ImportReport:
        """Merge one file's contacts into the index; counts are per person, not per row.

        ``last``: no later file of the import has people, so where every row is a new
        person they go to the batch as they are (``_Plan.fresh``), without being indexed.

        A row whose digest a stored contact holds is that contact's state already: merging
        it again changes nothing (merging is idempotent, and any other write to the contact
        cleared the digest), so it is counted unchanged without being merged. ``_Redo``
        when such a contact is also touched by a row that is merged, where order matters.
        """
        report = ImportReport(
            parsed.format,
            path,
            skipped=list(parsed.skipped),
            warnings=list(parsed.warnings),
            unmapped_columns=list(parsed.unmapped_columns),
        )
        check_cancelled(progress)
        if last and self._as_columns(parsed, index, plan, marks, report):
            return report
        # Each person this file touches: created here, or their state before this file.
        before: dict[MergeTarget, tuple[bool, tuple[object, ...], bytes | None]] = {}
        rows, checked = self._checked_rows(path, parsed, plan, progress, marks, report)
        snapshot = parsed.snapshot is not None
        # A row's keys are its own (merging changes only the targets), so they are taken
        # first; where no row can match another or a known person, all are added at once.
        contacts = [row[0] for row in rows]
        key_lists = [merge_keys(row[0]) if row[4] is None else row[4] for row in rows]
        fresh = last and not snapshot
        # Names matter to new people only where a keyless contact might have theirs.
        names = [] if fresh and not index.keyless else list(map(name_key, contacts))
        added: list[MergeTarget] | None = None
        if not snapshot and index.all_new(key_lists, names):
            if fresh:
                plan.fresh.extend(contacts)
                plan.fresh_digests.extend([row[2] for row in rows])
                report.created += len(rows)
                added = []
            else:
                lines = [row[1] for row in rows]
                added = index.add_new(list(zip(contacts, lines, key_lists, names, strict=True)))
                assert added is not None  # all_new said so
                # As ``plan.touch`` would, for targets touched once.
                plan.digests.update(zip(added, [row[2] for row in rows], strict=True))
                before = dict.fromkeys(added, _CREATED)
            rows = []
        elif not names:
            names = list(map(name_key, contacts))
        if added is None or checked or parsed.fields is None or plan.fields is None:
            plan.fields = None  # merged or checked: any field may have been set
        else:
            plan.fields |= parsed.fields
        find, merge = index.find, index.merge
        for done, row in enumerate(rows):
            if done % 2000 == 0:
                check_cancelled(progress)
            contact, line, digest, local_id, _ = row
            keys, name = key_lists[done], names[done]
            match = Match(find(keys, name), keys, name)
            found = match.target
            if found is None:  # a new person, the common case of a first import
                target = merge(contact, line, match)
                plan.touch(target, digest)
                before[target] = _CREATED
            else:
                if found.contact.id is not None:
                    if found.contact.id in plan.held:
                        raise _Redo
                    plan.touched.add(found.contact.id)
                if found not in before:
                    # On the first touch the stored state was just recorded: not taken again.
                    state = found.original if found.touch() else None
                    before[found] = (False, state or state_of(found.contact), found.new_photo)
                target = merge(contact, line, match)
                plan.touch(target, digest)
            if snapshot and local_id is not None:
                plan.batch.snapshot_contacts[local_id] = target.contact
        if parsed.snapshot is not None:
            if plan.batch.snapshot is None:
                plan.batch.snapshot = parsed.snapshot
            else:
                report.warn(0, "only the first NetPlanner export of an import is read")
        self._settle_photos(list(before))
        for target, (created, state, photo) in before.items():
            if created:
                report.created += 1
            elif state != state_of(target.contact) or target.new_photo is not photo:
                report.updated += 1
            else:
                report.unchanged += 1
        return report

    @staticmethod
    def _as_columns(
        parsed: ParsedFile,
        index: MergeIndex,
        plan: _Plan,
        marks: dict[str, int],
        report: ImportReport,
    ) -> bool:
        """Hand the parser's columns to the batch as they are, where ``_merge_file`` would
        store every row as read: each a new person (no stored contact holds its row, no key
        is known or shared, no keyless contact might have its name), and nothing to check
        or cut. True when it did; the file is then merged, no Contact built."""
        columns = parsed.only_columns
        if columns is None or parsed.snapshot is not None or index.keyless:
            return False
        values = columns.values.columns
        fields = frozenset(values)  # the only fields the columns set
        if (
            not nothing_to_check(Contact, parsed.texts_clean, fields)
            or (marks and not marks.keys().isdisjoint(columns.digests))
            or columns.keys.count(None)
        ):
            return False
        limits = _text_limits(fields, parsed.longest_text)
        if _exceeded(limits, [values[name] for name, _ in limits]):
            return False
        keys = cast(list[list[str]], columns.keys)  # none is None: counted above
        if not index.all_new(keys, []):
            return False
        plan.fresh_columns.append((columns.values, columns.digests))
        report.created += len(columns)
        return True

    @staticmethod
    def _checked_rows(
        path: str,
        parsed: ParsedFile,
        plan: _Plan,
        progress: ProgressSink,
        marks: dict[str, int],
        report: ImportReport,
    ) -> tuple[list[_Row], bool]:
        """The rows to merge, made safe to store, as (contact, line, digest, local id, keys
        the parser found or None), and whether ``check_record`` looked at them.

        A row a stored contact holds (``marks``) is left out and counted unchanged. Of a
        parser's columns, only the rows not held become contacts (a file imported again
        after a few changes builds a few)."""
        rows: list[_Row] = []
        held: set[int] = set()
        columns = parsed.only_columns if marks else None
        items = parsed.contacts if columns is None else []
        if columns is not None:
            holders = [marks.get(digest or "") for digest in columns.digests]
            held.update(holder for holder in holders if holder is not None)
            if not plan.touched.isdisjoint(held):
                raise _Redo
            plan.held |= held
            rows_left = [n for n, holder in enumerate(holders) if holder is None]
            items = columns.records(rows_left) if rows_left else []
            marks = {}  # the rows held are left out already
        total = len(items)
        texts_clean = parsed.texts_clean
        check: bool | None = None  # for the whole file at once, at its first row to merge
        limits: list[tuple[str, int]] = []  # the text limits some row of the file exceeds
        for done, item in enumerate(items):
            if done % 2000 == 0:
                check_cancelled(progress)
                progress.report(done, total, f"Merging {Path(path).name}")
            contact, line, digest = item.contact, item.line, item.digest
            holder = marks.get(digest) if digest and marks else None
            if holder is not None:
                if holder in plan.touched:
                    raise _Redo
                held.add(holder)
                plan.held.add(holder)
                continue
            if check is None:
                everyone = [item.contact for item in items]
                check = need_checking(everyone, texts_clean, parsed.fields)
                limits = _limits_exceeded(everyone, parsed.fields, parsed.longest_text)
            if check:
                notes = check_record(contact, texts_clean)[1]  # controls out, impossible values
                for note in notes:
                    report.warn(line, note)
            else:
                notes = _NO_NOTES
            keys = item.keys
            if (limits and _fit_columns(contact, line, report, limits)) or notes:
                digest = keys = None  # what is stored is not what the row says
            local_id = contact.id  # a NetPlanner export's own reference
            contact.id = None
            rows.append((contact, line, digest, local_id, keys))
        report.unchanged += len(held)
        return rows, bool(check)

    @staticmethod
    def _add_invitation(
        invitation: Invitation, report: ImportReport, plan: _Plan, known: set[str]
    ) -> None:
        key = invitation_identity(invitation)
        if key in known:
            report.unchanged += 1
            return
        known.add(key)
        plan.batch.invitations.append(invitation)
        report.created += 1

    def _settle_photos(self, targets: list[MergeTarget]) -> None:
        """Drop new photos identical to the stored ones, so re-imports change nothing."""
        to_check: list[MergeTarget] = []
        for target in targets:
            if target.is_new or target.new_photo is None:
                continue
            if target.photo_length == len(target.new_photo):
                to_check.append(target)
        if not to_check:
            return
        stored = self.repo.photos([t.contact.id for t in to_check if t.contact.id is not None])
        for target in to_check:
            if stored.get(target.contact.id or 0) == target.new_photo:
                target.new_photo = None


def _limits_exceeded(
    contacts: list[Contact], fields: frozenset[str] | None = None, longest: int | None = None
) -> list[tuple[str, int]]:
    """The text limits some of ``contacts`` exceed (usually none), a column at a time.

    Only the limits below the ``longest`` text and of the ``fields`` the parser set (see
    ``ParsedFile``) are looked at. Their columns are taken in one pass (one C call per
    contact) and measured in C: a loop per column over 30,000 contacts' dicts cost an
    eighth of an import."""
    limits = _text_limits(fields, longest)
    if not contacts or not limits:
        return []
    columns: Iterable[Iterable[Any]]
    if len(limits) == 1:
        columns = [map(operator.itemgetter(limits[0][0]), map(vars, contacts))]
    else:
        take = operator.itemgetter(*(name for name, _ in limits))
        columns = zip(*map(take, map(vars, contacts)), strict=True)
    return _exceeded(limits, columns)


def _text_limits(fields: frozenset[str] | None, longest: int | None) -> list[tuple[str, int]]:
    """The text limits of the ``fields`` a parser set below its ``longest`` text (see
    ``ParsedFile``): only those can be exceeded."""
    return [
        (name, limit)
        for name, limit in _TEXT_LIMITS
        if (fields is None or name in fields) and (longest is None or limit < longest)
    ]


def _exceeded(
    limits: list[tuple[str, int]], columns: Iterable[Iterable[Any]]
) -> list[tuple[str, int]]:
    """The ``limits`` some value of their column (in the same order) exceeds, measured in C."""
    return [
        (name, limit)
        for (name, limit), column in zip(limits, columns, strict=True)
        if max(map(len, filter(None, column)), default=0) > limit
    ]


def _fit_columns(
    contact: Contact, line: int, report: ImportReport, limits: list[tuple[str, int]]
) -> bool:
    """Cut texts longer than the database holds (of the ``limits`` a file exceeds), with a
    warning, instead of failing.

    True when something was cut."""
    values = contact.__dict__
    cut = False
    for name, limit in limits:
        value = values[name]
        if value is not None and len(value) > limit:
            values[name] = value[:limit]
            report.warn(line, f"the {name.replace('_', ' ')} was cut to {limit} characters")
            cut = True
    return cut


_TEXT_LIMITS = [
    (name, limit)
    for name, limit in CONTACT_TEXT_LIMITS.items()
    if name not in ("location_status", "stage", "country_code")
]
