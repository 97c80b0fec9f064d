"""``criteria show|set|check`` and ``targets add|list|remove|contacts``: who belongs."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from netplanner.commands.output import emit_json, print_table

if TYPE_CHECKING:
    from netplanner.services.context import AppContext

    Sub = argparse._SubParsersAction[argparse.ArgumentParser]


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    criteria = sub.add_parser("criteria", parents=[common], help="who belongs in the network")
    actions = criteria.add_subparsers(dest="criteria_action", metavar="ACTION", required=True)
    show = actions.add_parser("show", parents=[common], help="the criteria")
    show.set_defaults(handler=run_criteria_show)
    setter = actions.add_parser("set", parents=[common], help="change criteria")
    for option in ("avoid-industries", "avoid-titles", "wanted-job-types", "wanted-companies",
                   "wanted-areas"):  # fmt: skip
        setter.add_argument(f"--{option}", metavar="A,B", help="comma-separated; empty clears")
    setter.add_argument("--radius", type=float, metavar="KM", help="around home; 0 clears")
    setter.add_argument("--require-photo", choices=("yes", "no"))
    setter.set_defaults(handler=run_criteria_set)
    check = actions.add_parser("check", parents=[common], help="fits or not, for each contact")
    check.add_argument("--contact", type=int, action="append", metavar="ID")
    check.add_argument("--invitations", action="store_true", help="check pending invitations")
    check.set_defaults(handler=run_criteria_check)

    targets = sub.add_parser("targets", parents=[common], help="target companies")
    t_actions = targets.add_subparsers(dest="targets_action", metavar="ACTION", required=True)
    t_add = t_actions.add_parser("add", parents=[common], help="add a target company")
    t_add.add_argument("name", metavar="NAME")
    t_add.add_argument("--notes", metavar="TEXT")
    t_add.set_defaults(handler=run_targets_add)
    t_list = t_actions.add_parser("list", parents=[common], help="the target companies")
    t_list.set_defaults(handler=run_targets_list)
    t_remove = t_actions.add_parser("remove", parents=[common], help="remove a target company")
    t_remove.add_argument("target_id", type=int, metavar="ID")
    t_remove.set_defaults(handler=run_targets_remove)
    t_contacts = t_actions.add_parser("contacts", parents=[common], help="who works at them")
    t_contacts.set_defaults(handler=run_targets_contacts)


def _criteria_json(context: AppContext) -> dict[str, Any]:
    c = context.criteria.get()
    return {
        "avoid_industries": c.avoid_industries,
        "avoid_titles": c.avoid_titles,
        "wanted_job_types": c.wanted_job_types,
        "wanted_companies": c.wanted_companies,
        "wanted_areas": c.wanted_areas,
        "radius_km": c.radius_km,
        "require_photo": c.require_photo,
    }


def run_criteria_show(args: argparse.Namespace, context: AppContext) -> int:
    document = _criteria_json(context)
    if args.json:
        emit_json(document)
    else:
        for key, value in document.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            print(f"{key.replace('_', ' ')}: {shown if shown not in (None, '') else '-'}")
    return 0


def run_criteria_set(args: argparse.Namespace, context: AppContext) -> int:
    changes: dict[str, object] = {}
    for dest in ("avoid_industries", "avoid_titles", "wanted_job_types", "wanted_companies",
                 "wanted_areas"):  # fmt: skip
        value = getattr(args, dest)
        if value is not None:
            changes[dest] = [part.strip() for part in value.split(",") if part.strip()]
    if args.radius is not None:
        # 0 clears the radius; a negative one is a mistake the service explains.
        changes["radius_km"] = None if args.radius == 0 else args.radius
    if args.require_photo is not None:
        changes["require_photo"] = args.require_photo == "yes"
    context.criteria.set(**changes)
    return run_criteria_show(args, context)


def run_criteria_check(args: argparse.Namespace, context: AppContext) -> int:
    if args.invitations:
        rows = [
            {"invitation": r.invitation.id, "name": r.invitation.from_name,
             "fits": r.verdict.fits, "verdict": r.verdict.text}
            for r in context.criteria.evaluate_invitations()
        ]  # fmt: skip
    else:
        rows = [
            {"id": r.contact.id, "name": r.contact.name, "fits": r.verdict.fits,
             "verdict": r.verdict.text}
            for r in context.criteria.evaluate_contacts(args.contact)
        ]  # fmt: skip
    if args.json:
        emit_json(rows)
    else:
        for row in rows:
            print(f"{row['name']}: {row['verdict']}")
    return 0


def run_targets_add(args: argparse.Namespace, context: AppContext) -> int:
    target = context.criteria.add_target(args.name, args.notes)
    if args.json:
        emit_json({"id": target.id, "name": target.name, "notes": target.notes})
    else:
        print(f"Target company {target.id}: {target.name}")
    return 0


def run_targets_list(args: argparse.Namespace, context: AppContext) -> int:
    targets = context.criteria.list_targets()
    if args.json:
        emit_json([{"id": t.id, "name": t.name, "notes": t.notes} for t in targets])
    else:
        print_table(["ID", "Company", "Notes"], [[t.id, t.name, t.notes] for t in targets])
    return 0


def run_targets_remove(args: argparse.Namespace, context: AppContext) -> int:
    context.criteria.remove_target(args.target_id)
    if args.json:
        emit_json({"id": args.target_id, "removed": True})
    else:
        print(f"Target company {args.target_id} removed.")
    return 0


def run_targets_contacts(args: argparse.Namespace, context: AppContext) -> int:
    matches = context.criteria.contacts_at_targets()
    if args.json:
        emit_json(
            [
                {"id": m.target.id, "company": m.target.name,
                 "contacts": [{"id": c.id, "name": c.name, "company": c.company,
                               "position": c.position} for c in m.contacts]}
                for m in matches
            ]
        )  # fmt: skip
    else:
        for match in matches:
            names = ", ".join(c.name for c in match.contacts) or "nobody yet"
            print(f"{match.target.name}: {names}")
    return 0
