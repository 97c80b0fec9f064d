"""``meeting add|update|cancel|confirm|publish|unpublish``, ``meetings``, ``debrief``, ``brief``
and ``calendar import-trips``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netplanner.commands.output import emit_json, print_table
from netplanner.domain.errors import InputError

if TYPE_CHECKING:
    from datetime import date

    from netplanner.domain.entities import Debrief, FollowUp, Meeting
    from netplanner.services.briefing import Briefing, MeetingMemory
    from netplanner.services.context import AppContext
    from netplanner.services.meetings import VenueChoice

    Sub = argparse._SubParsersAction[argparse.ArgumentParser]


DEBRIEF_OPTIONS = (
    ("--food", "food_drink", "food and drink: what each of you liked"),
    ("--service", "service", "how the service was"),
    ("--weather", "weather_journey", "the weather or the journey"),
    ("--in-common", "in_common", "what the two of you have in common"),
    ("--disliked", "disliked", "what both of you disliked"),
    ("--business", "business", "what you learned of their business"),
    ("--ambitions", "ambitions", "their ambitions"),
    ("--challenges", "challenges", "their challenges"),
    ("--learned", "learned", "what you learned"),
    ("--notes", "notes", "free notes"),
)


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    meeting = sub.add_parser("meeting", parents=[common], help="add or change a meeting")
    actions = meeting.add_subparsers(dest="meeting_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", parents=[common], help="propose a meeting")
    add.add_argument("--contact", type=int, action="append", required=True, metavar="ID")
    add.add_argument("--start", required=True, metavar="LOCAL_DATETIME")
    add.add_argument("--duration", type=int, metavar="MIN", help="minutes (default 60)")
    add.add_argument("--end", metavar="LOCAL_DATETIME", help="local end instead of --duration")
    add.add_argument("--tz", metavar="ZONE", help="IANA zone when neither venue nor trip has one")
    add.add_argument(
        "--fold",
        type=int,
        choices=(0, 1),
        help="for a local time that a clock change skips or repeats: 0 first reading, 1 second",
    )
    venue = add.add_mutually_exclusive_group()
    venue.add_argument("--venue", type=int, metavar="ID", help="a saved venue")
    venue.add_argument("--venue-name", metavar="TEXT", help="a new venue by name")
    add.add_argument("--venue-address", metavar="TEXT")
    add.add_argument("--trip", type=int, metavar="ID")
    add.add_argument("--invitation", metavar="TEXT", help="the invitation text")
    add.set_defaults(handler=run_meeting_add)

    update = actions.add_parser("update", parents=[common], help="change a meeting")
    update.add_argument("meeting_id", type=int, metavar="ID")
    update.add_argument("--contact", type=int, action="append", metavar="ID",
                        help="the contacts (all of them, repeated)")  # fmt: skip
    update.add_argument("--start", metavar="LOCAL_DATETIME", help="in the meeting's zone")
    update.add_argument("--duration", type=int, metavar="MIN")
    update.add_argument("--end", metavar="LOCAL_DATETIME")
    update.add_argument("--fold", type=int, choices=(0, 1))
    new_venue = update.add_mutually_exclusive_group()
    new_venue.add_argument("--venue", type=int, metavar="ID")
    new_venue.add_argument("--venue-name", metavar="TEXT")
    update.add_argument("--venue-address", metavar="TEXT")
    update.add_argument("--invitation", metavar="TEXT", help="the invitation text")
    update.set_defaults(handler=run_meeting_update)

    for name, status, text in (
        ("cancel", "cancelled", "cancel a meeting"),
        ("confirm", "confirmed", "mark a meeting confirmed"),
    ):
        parser = actions.add_parser(name, parents=[common], help=text)
        parser.add_argument("meeting_id", type=int, metavar="ID")
        parser.set_defaults(handler=run_meeting_status, status=status)

    for name, text in (
        ("publish", "create or update the meeting on the CalDAV calendar of the settings"),
        ("unpublish", "delete the meeting from the CalDAV calendar"),
    ):
        parser = actions.add_parser(name, parents=[common], help=text)
        parser.add_argument("meeting_id", type=int, metavar="ID")
        parser.add_argument(
            "--ask-password", action="store_true", help="ask for the password, not the keyring"
        )
        parser.add_argument(
            "--remember", action="store_true", help="keep the asked password in the system keyring"
        )
        parser.set_defaults(handler=run_meeting_publish, action=name)

    listing = sub.add_parser("meetings", parents=[common], help="list meetings")
    listing.add_argument("--contact", type=int, metavar="ID")
    listing.add_argument("--trip", type=int, metavar="ID")
    listing.set_defaults(handler=run_meetings)

    debrief = sub.add_parser("debrief", parents=[common], help="record what was shared")
    debrief.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    for option, dest, text in DEBRIEF_OPTIONS:
        debrief.add_argument(option, dest=dest, metavar="T", help=text)
    debrief.add_argument("--rating", type=int, choices=range(1, 6), metavar="1-5")
    debrief.add_argument(
        "--follow-up", action=_FollowUpAction, dest="follow_ups", default=[], metavar="TEXT"
    )
    debrief.add_argument("--due", action=_DueAction, dest="follow_ups", metavar="DATE")
    debrief.set_defaults(handler=run_debrief)

    follow_up = sub.add_parser("follow-up", parents=[common], help="mark follow-ups done")
    fu_actions = follow_up.add_subparsers(dest="follow_up_action", metavar="ACTION", required=True)
    for name, text in (("done", "mark a follow-up done"), ("reopen", "open a follow-up again")):
        parser = fu_actions.add_parser(name, parents=[common], help=text)
        parser.add_argument("follow_up_id", type=int, metavar="ID")
        parser.set_defaults(handler=run_follow_up_done, done=name == "done")

    brief = sub.add_parser("brief", parents=[common], help="the briefing before a meeting")
    brief.add_argument("contact_id", type=int, metavar="CONTACT_ID")
    brief.set_defaults(handler=run_brief)

    calendar = sub.add_parser("calendar", parents=[common], help="calendar files")
    cal_actions = calendar.add_subparsers(dest="calendar_action", metavar="ACTION", required=True)
    trips = cal_actions.add_parser(
        "import-trips", parents=[common], help="planned trips from the events with a place"
    )
    trips.add_argument("file", type=Path, metavar="FILE")
    trips.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    trips.set_defaults(handler=run_import_trips)


class _FollowUpAction(argparse.Action):
    """``--follow-up TEXT`` starts a new follow-up; the ``--due`` after it belongs to it."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        items = list(getattr(namespace, self.dest) or [])
        items.append([values, None])
        setattr(namespace, self.dest, items)


class _DueAction(argparse.Action):
    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        items = list(getattr(namespace, self.dest) or [])
        if not items or items[-1][1] is not None:
            parser.error("--due DATE must follow the --follow-up TEXT it belongs to")
        items[-1][1] = values
        setattr(namespace, self.dest, items)


def _date(text: str) -> date:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"'{text}' is not a date; write it like 2026-12-03.") from None


def meeting_json(meeting: Meeting, venue: str | None = None) -> dict[str, Any]:
    from netplanner.domain.localtime import format_utc, utc_to_local

    return {
        "id": meeting.id,
        "uid": meeting.uid,
        "contacts": meeting.contact_ids,
        "venue": venue,
        "start_utc": format_utc(meeting.start_utc),
        "end_utc": format_utc(meeting.end_utc),
        "start_local": utc_to_local(meeting.start_utc, meeting.tzid).strftime("%Y-%m-%dT%H:%M"),
        "tzid": meeting.tzid,
        "status": str(meeting.status),
        "sequence": meeting.sequence,
        "trip": meeting.trip_id,
    }


def _venue_choice(args: argparse.Namespace) -> VenueChoice | None:
    """The venue asked for with --venue or --venue-name, if any."""
    from netplanner.services.meetings import VenueChoice

    if args.venue_address and not args.venue_name:
        raise InputError("--venue-address goes with --venue-name (a new venue).")
    if args.venue is None and args.venue_name is None:
        return None
    return VenueChoice(args.venue, args.venue_name, args.venue_address)


def run_meeting_add(args: argparse.Namespace, context: AppContext) -> int:
    from netplanner.domain.localtime import format_utc, parse_local, utc_to_local

    venue = _venue_choice(args)
    meeting = context.meetings.add(
        args.contact,
        parse_local(args.start),
        duration_min=args.duration,
        end_local=parse_local(args.end) if args.end else None,
        tz=args.tz,
        venue=venue,
        trip_id=args.trip,
        fold=args.fold,
        invitation_text=args.invitation,
    )
    if args.json:
        document = meeting_json(meeting)
        emit_json(
            {
                key: document[key]
                for key in ("id", "uid", "start_utc", "end_utc", "tzid", "status", "start_local")
            }
        )
    else:
        local = utc_to_local(meeting.start_utc, meeting.tzid)
        print(
            f"Meeting {meeting.id} proposed for {local:%Y-%m-%d %H:%M} {meeting.tzid} "
            f"({format_utc(meeting.start_utc)})."
        )
    return 0


def run_meeting_update(args: argparse.Namespace, context: AppContext) -> int:
    from netplanner.domain.localtime import format_utc, parse_local, utc_to_local

    venue = _venue_choice(args)
    meeting = context.meetings.update(
        args.meeting_id,
        contact_ids=args.contact,
        start_local=parse_local(args.start) if args.start else None,
        duration_min=args.duration,
        end_local=parse_local(args.end) if args.end else None,
        venue=venue,
        fold=args.fold,
        invitation_text=args.invitation,
    )
    if args.json:
        emit_json(meeting_json(meeting))
    else:
        local = utc_to_local(meeting.start_utc, meeting.tzid)
        print(
            f"Meeting {meeting.id}: {local:%Y-%m-%d %H:%M} {meeting.tzid} "
            f"({format_utc(meeting.start_utc)}), sequence {meeting.sequence}."
        )
    return 0


def run_meeting_status(args: argparse.Namespace, context: AppContext) -> int:
    from netplanner.domain.entities import MeetingStatus

    meeting = context.meetings.set_status(args.meeting_id, MeetingStatus(args.status))
    if args.json:
        emit_json(meeting_json(meeting))
    else:
        print(f"Meeting {meeting.id} is {meeting.status} (sequence {meeting.sequence}).")
    return 0


def run_meeting_publish(args: argparse.Namespace, context: AppContext) -> int:
    if args.ask_password or args.remember:
        import getpass

        context.caldav_password = getpass.getpass("CalDAV password: ")
        if args.remember:
            from netplanner.services.caldav import store_password_in_keyring

            store_password_in_keyring(context.settings.caldav, context.caldav_password)
    if args.action == "publish":
        published = context.caldav.publish(args.meeting_id)
        document = {"id": args.meeting_id, "href": published.href, "etag": published.etag,
                    "created": published.created}  # fmt: skip
        done = "created" if published.created else "updated"
        message = f"Meeting {args.meeting_id} {done} at {published.href}."
    else:
        context.caldav.unpublish(args.meeting_id)
        document = {"id": args.meeting_id, "deleted": True}
        message = f"Meeting {args.meeting_id} deleted from the calendar."
    if args.json:
        emit_json(document)
    else:
        print(message)
    return 0


def run_meetings(args: argparse.Namespace, context: AppContext) -> int:
    meetings = context.meetings.list(contact_id=args.contact, trip_id=args.trip)
    venues = {v.id: v.name for v in context.venue_repo.list()}
    documents = [meeting_json(m, venues.get(m.venue_id)) for m in meetings]
    if args.json:
        emit_json(documents)
        return 0
    print_table(
        ["ID", "Local start", "Zone", "Status", "Contacts", "Venue"],
        [
            [d["id"], d["start_local"], d["tzid"], d["status"],
             ", ".join(map(str, d["contacts"])), d["venue"]]
            for d in documents
        ],
    )  # fmt: skip
    print(f"{len(documents)} meetings")
    return 0


def debrief_json(debrief: Debrief, follow_ups: list[FollowUp], meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting_id": debrief.meeting_id,
        "meeting_status": str(meeting.status),
        "food_drink": debrief.food_drink,
        "service": debrief.service,
        "weather_journey": debrief.weather_journey,
        "in_common": debrief.in_common,
        "disliked": debrief.disliked,
        "business": debrief.business,
        "ambitions": debrief.ambitions,
        "challenges": debrief.challenges,
        "learned": debrief.learned,
        "notes": debrief.notes,
        "rating": debrief.rating,
        "follow_ups": [follow_up_json(f) for f in follow_ups],
    }


def follow_up_json(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.id,
        "contact_id": follow_up.contact_id,
        "meeting_id": follow_up.meeting_id,
        "text": follow_up.text,
        "due": follow_up.due.isoformat() if follow_up.due else None,
        "done": follow_up.done,
    }


def run_debrief(args: argparse.Namespace, context: AppContext) -> int:
    fields: dict[str, object] = {dest: getattr(args, dest) for _, dest, _ in DEBRIEF_OPTIONS}
    fields["rating"] = args.rating
    follow_ups = [(text, _date(due) if due else None) for text, due in args.follow_ups]
    result = context.debriefs.record(args.meeting_id, fields, follow_ups)
    all_follow_ups = context.debriefs.follow_ups(args.meeting_id)
    if args.json:
        emit_json(debrief_json(result.debrief, all_follow_ups, result.meeting))
    else:
        print(
            f"Debrief of meeting {args.meeting_id} recorded; the meeting is done"
            f" ({len(all_follow_ups)} follow-ups)."
        )
    return 0


def run_follow_up_done(args: argparse.Namespace, context: AppContext) -> int:
    follow_up = context.debriefs.complete_follow_up(args.follow_up_id, args.done)
    if args.json:
        emit_json(follow_up_json(follow_up))
    else:
        print(
            f"Follow-up {follow_up.id} is {'done' if follow_up.done else 'open'}: {follow_up.text}"
        )
    return 0


def _memory_json(memory: MeetingMemory) -> dict[str, Any]:
    document = meeting_json(memory.meeting, memory.venue)
    debrief = memory.debrief
    document["date"] = memory.local_start.date().isoformat()
    document["shared"] = (
        None
        if debrief is None
        else {
            key: getattr(debrief, key)
            for key in ("food_drink", "service", "weather_journey", "in_common", "disliked",
                        "business", "ambitions", "challenges", "learned", "notes", "rating")
        }
    )  # fmt: skip
    return document


def briefing_json(briefing: Briefing) -> dict[str, Any]:
    contact = briefing.contact
    return {
        "contact": {
            "id": contact.id,
            "name": contact.name,
            "company": contact.company,
            "position": contact.position,
            "industry": contact.industry,
            "location": contact.location_text,
            "timezone": contact.timezone,
            "emails": contact.emails,
            "interests": contact.interests,
            "past_experience": contact.past_experience,
            "stage": str(contact.stage),
            "last_met": contact.last_met.isoformat() if contact.last_met else None,
            "connected_on": contact.connected_on.isoformat() if contact.connected_on else None,
        },
        "meetings": [_memory_json(m) for m in briefing.meetings],
        "upcoming": [_memory_json(m) for m in briefing.upcoming],
        "last_heard": {
            "business": briefing.last_heard.business,
            "ambitions": briefing.last_heard.ambitions,
            "challenges": briefing.last_heard.challenges,
        },
        "follow_ups": [follow_up_json(f) for f in briefing.follow_ups],
        "questions": briefing.questions,
    }


def run_brief(args: argparse.Namespace, context: AppContext) -> int:
    briefing = context.briefings.brief(args.contact_id)
    if args.json:
        emit_json(briefing_json(briefing))
        return 0
    contact = briefing.contact
    role = " at ".join(p for p in (contact.position, contact.company) if p)
    print(f"{contact.name}" + (f", {role}" if role else ""))
    if contact.location_text:
        print(f"Lives in {contact.location_text}")
    if contact.interests:
        print("Interests: " + ", ".join(contact.interests))
    print()
    print(f"Meetings ({len(briefing.meetings)}):")
    for memory in briefing.meetings:
        print(f"  {memory.local_start:%Y-%m-%d}" + (f" at {memory.venue}" if memory.venue else ""))
        if memory.debrief is not None:
            for label, key in (("Food and drink", "food_drink"), ("Service", "service"),
                               ("Weather/journey", "weather_journey"), ("In common", "in_common"),
                               ("Both disliked", "disliked")):  # fmt: skip
                value = getattr(memory.debrief, key)
                if value:
                    print(f"    {label}: {value}")
    heard = briefing.last_heard
    print()
    print("As last heard:")
    print(f"  Business: {heard.business or 'not known yet'}")
    print(f"  Ambitions: {heard.ambitions or 'not known yet'}")
    print(f"  Challenges: {heard.challenges or 'not known yet'}")
    print()
    print(f"Open follow-ups ({len(briefing.follow_ups)}):")
    for follow_up in briefing.follow_ups:
        due = f" (due {follow_up.due.isoformat()})" if follow_up.due else ""
        print(f"  - {follow_up.text}{due}")
    print()
    print("Questions worth asking:")
    for question in briefing.questions:
        print(f"  - {question}")
    return 0


def run_import_trips(args: argparse.Namespace, context: AppContext) -> int:
    counts = context.calendar.import_trips(args.file, dry_run=args.dry_run)
    if args.json:
        emit_json(counts)
    else:
        print(
            f"Trips from {args.file}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {len(counts['skipped'])} skipped."
        )
        for skipped in counts["skipped"]:
            print(f"  skipped {skipped['event']}: {skipped['reason']}")
    return 0
