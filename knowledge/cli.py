"""Staff command line: ``python -m knowledge <command>``.

Every command migrates the database first. One function per command, each
registered in ``COMMANDS`` with the function that declares its arguments.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from knowledge import aliases as alias_store
from knowledge import messages, staff
from knowledge.catalog import Catalog
from knowledge.db import make_engine, make_session_factory, session_scope
from knowledge.demo import seed_demo
from knowledge.dossier_import import DossierImportError, import_dossiers
from knowledge.export import export_procedures
from knowledge.importer import import_files
from knowledge.migrate import upgrade
from knowledge.models import (
    Agency,
    Alias,
    Dossier,
    Faq,
    LegalBasis,
    Procedure,
    RequiredDocument,
    StaffRole,
    SubmissionChannel,
)
from knowledge.settings import VAR_DIR, Settings, get_settings
from knowledge.show import render_procedure
from knowledge.sources import SEED_FILES

logger = logging.getLogger(__name__)

SEARCH_LIMIT = 10


@dataclass
class Context:
    """What a command works with."""

    engine: Engine
    sessions: sessionmaker[Session]
    out: TextIO
    report_dir: Path
    settings: Settings


Handler = Callable[[argparse.Namespace, Context], int]
Configure = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, help line, argument declaration and handler."""

    name: str
    help: str
    configure: Configure
    run: Handler


def _no_arguments(_parser: argparse.ArgumentParser) -> None:
    return None


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(messages.LIMIT_NOT_POSITIVE.format(value=value))
    return number


# ----------------------------------------------------------------------- import


def configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help=messages.HELP_IMPORT_FILES)
    parser.add_argument("--aliases", action="store_true", help=messages.HELP_IMPORT_ALIASES)


def run_import(args: argparse.Namespace, ctx: Context) -> int:
    """Import files (default: the project's seed), print and save the report."""
    files: list[Path] = list(args.files) or list(SEED_FILES)
    with session_scope(ctx.sessions) as session:
        report = import_files(session, files)
        if not args.files or args.aliases:
            seeded = alias_store.seed(session)
            report.aliases = {
                "aliases": seeded.aliases,
                "created": seeded.created,
                "links_added": seeded.links_added,
                "kept_removed": seeded.kept_removed,
                "missing_codes": seeded.missing_codes,
            }
    print(report.summary(), file=ctx.out)
    if report.aliases:
        print(
            messages.ALIASES_SEEDED.format(
                aliases=report.aliases["aliases"],
                created=report.aliases["created"],
                links=report.aliases["links_added"],
            ),
            file=ctx.out,
        )
        missing = sum(len(codes) for codes in report.aliases["missing_codes"].values())
        if missing:
            print(messages.ALIASES_MISSING.format(count=missing), file=ctx.out)
    path = report.save(ctx.report_dir)
    print(messages.REPORT_SAVED.format(path=path), file=ctx.out)
    return 0


# -------------------------------------------------------------- import-dossiers


def configure_import_dossiers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help=messages.HELP_IMPORT_DOSSIERS_FILE)
    parser.add_argument("--dry-run", action="store_true", help=messages.HELP_DRY_RUN)
    parser.add_argument("--update-phones", action="store_true", help=messages.HELP_UPDATE_PHONES)


def run_import_dossiers(args: argparse.Namespace, ctx: Context) -> int:
    """Create or update dossiers from a one-stop CSV export; ``--dry-run`` only reports."""
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(messages.CSV_CANNOT_READ.format(path=args.file, reason=error.strerror), file=ctx.out)
        return 1
    try:
        with session_scope(ctx.sessions) as session:
            report = import_dossiers(
                session,
                data,
                dry_run=args.dry_run,
                update_phones=args.update_phones,
                pattern=ctx.settings.receipt_code_pattern,
            )
    except DossierImportError as error:
        print(error, file=ctx.out)
        return 1
    print(report.summary(), file=ctx.out)
    return 1 if report.errors else 0


# ------------------------------------------------------------------------- show


def configure_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", help=messages.HELP_CODE)
    parser.add_argument("--json", action="store_true", help="in ra dạng JSON (như lệnh export)")


def run_show(args: argparse.Namespace, ctx: Context) -> int:
    """Print one procedure."""
    with ctx.sessions() as session:
        procedure = session.scalar(
            select(Procedure)
            .where(Procedure.code == args.code)
            .options(
                selectinload(Procedure.channels),
                selectinload(Procedure.documents),
                selectinload(Procedure.legal_bases),
                selectinload(Procedure.aliases),
            )
        )
        if procedure is None:
            print(messages.NOT_FOUND.format(code=args.code), file=ctx.out)
            return 1
        if args.json:
            from knowledge.export import procedure_record

            print(json.dumps(procedure_record(procedure), ensure_ascii=False, indent=2), file=ctx.out)
        else:
            print(render_procedure(procedure), file=ctx.out)
    return 0


# ------------------------------------------------------------------------ stats


def run_stats(_args: argparse.Namespace, ctx: Context) -> int:
    """Print counts of what the knowledge base holds."""
    with ctx.sessions() as session:

        def count(model: type, *where: object) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]

        lines = [
            f"Thủ tục: {count(Procedure)} (đang dùng {count(Procedure, Procedure.is_active.is_(True))})",
            f"  Cấp bộ {count(Procedure, Procedure.level_ministry.is_(True))}, "
            f"cấp tỉnh {count(Procedure, Procedure.level_province.is_(True))}, "
            f"cấp xã {count(Procedure, Procedure.level_commune.is_(True))}, "
            f"cơ quan khác {count(Procedure, Procedure.level_other.is_(True))}",
            f"  Do cán bộ chỉnh sửa: {sum(1 for f in session.scalars(select(Procedure.edited_fields)) if f)}",
            f"Cách thức nộp: {count(SubmissionChannel)} dòng; thành phần hồ sơ: {count(RequiredDocument)}; "
            f"căn cứ pháp lý: {count(LegalBasis)}",
            f"Tên gọi khác: {count(Alias, Alias.is_active.is_(True))}",
            f"Cơ quan: {count(Agency)}; câu hỏi thường gặp: {count(Faq)}",
            f"Hồ sơ: {count(Dossier)}",
        ]
        by_status = session.execute(select(Dossier.status, func.count()).group_by(Dossier.status)).all()
        for status, number in sorted(by_status):
            lines.append(f"  {messages.STATUS_LABELS.get(status, status)}: {number}")
        by_ministry = session.execute(
            select(Procedure.ministry, func.count())
            .group_by(Procedure.ministry)
            .order_by(func.count().desc())
        ).all()
        lines.append("Theo danh mục nguồn: " + ", ".join(f"{m or '-'} {n}" for m, n in by_ministry))
    print("\n".join(lines), file=ctx.out)
    return 0


# ------------------------------------------------------------------------ alias


def configure_alias(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="alias_command", required=True)
    add = actions.add_parser("add", help=messages.HELP_ALIAS_ADD)
    add.add_argument("text", help=messages.HELP_ALIAS_TEXT)
    add.add_argument("codes", nargs="+", help=messages.HELP_ALIAS_CODES)
    listing = actions.add_parser("list", help=messages.HELP_ALIAS_LIST)
    listing.add_argument("--code", help=messages.HELP_CODE)
    listing.add_argument("--all", action="store_true", help="gồm cả tên gọi đã gỡ")
    remove = actions.add_parser("remove", help=messages.HELP_ALIAS_REMOVE)
    remove.add_argument("text", help=messages.HELP_ALIAS_TEXT)
    remove.add_argument("codes", nargs="*", help=messages.HELP_ALIAS_CODES)


def run_alias(args: argparse.Namespace, ctx: Context) -> int:
    """Add, list or remove aliases."""
    with session_scope(ctx.sessions) as session:
        if args.alias_command == "add":
            try:
                alias = alias_store.add(session, args.text, args.codes)
            except LookupError as error:
                print(messages.UNKNOWN_CODES.format(codes=error), file=ctx.out)
                return 1
            codes = ", ".join(p.code for p in alias.procedures)
            print(messages.ALIAS_ADDED.format(text=alias.text, codes=codes), file=ctx.out)
            return 0
        if args.alias_command == "remove":
            if not alias_store.remove(session, args.text, args.codes or None):
                print(messages.ALIAS_UNKNOWN.format(text=args.text), file=ctx.out)
                return 1
            print(messages.ALIAS_REMOVED.format(text=args.text), file=ctx.out)
            return 0
        found = alias_store.list_aliases(session, code=args.code, include_inactive=args.all)
        if not found:
            print(messages.NO_ALIASES, file=ctx.out)
        for alias in found:
            state = "" if alias.is_active else " (đã gỡ)"
            codes = ", ".join(p.code for p in alias.procedures)
            print(f"{alias.text}{state}: {codes}", file=ctx.out)
    return 0


# ----------------------------------------------------------------------- export


def configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, help=messages.HELP_EXPORT_OUTPUT)
    parser.add_argument("--code", action="append", help=messages.HELP_CODE)


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    """Write the knowledge base as JSON Lines."""
    with ctx.sessions() as session:
        if args.output is None:
            export_procedures(session, ctx.out, args.code)
            return 0
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8") as handle:
            count = export_procedures(session, handle, args.code)
    print(messages.EXPORTED.format(count=count, path=args.output), file=ctx.out)
    return 0


# ----------------------------------------------------------------------- search


def configure_search(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", metavar="QUERY", help=messages.HELP_SEARCH_QUERY)
    parser.add_argument(
        "--limit",
        type=_positive_int,
        default=SEARCH_LIMIT,
        help=messages.HELP_SEARCH_LIMIT.format(default=SEARCH_LIMIT),
    )


def run_search(args: argparse.Namespace, ctx: Context) -> int:
    """Print the procedures the bot's search finds for a query, best first."""
    catalog = Catalog(ctx.sessions, ctx.settings.province_levels)
    catalog.refresh_now()
    result = catalog.search(" ".join(args.query), args.limit)
    if not result.candidates:
        print(messages.SEARCH_NOTHING, file=ctx.out)
        return 1
    for rank, candidate in enumerate(result.candidates, start=1):
        line = messages.SEARCH_RESULT.format(
            rank=rank,
            code=candidate.code,
            levels=", ".join(candidate.levels) or messages.SEARCH_NO_LEVELS,
            score=candidate.score,
            name=candidate.name,
        )
        print(line, file=ctx.out)
    print(messages.SEARCH_CLEAR if result.clear else messages.SEARCH_UNCLEAR, file=ctx.out)
    return 0


# ----------------------------------------------------------------- create-admin


def configure_create_admin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--username", required=True, help=messages.HELP_USERNAME)
    parser.add_argument("--password-stdin", action="store_true", help=messages.HELP_PASSWORD_STDIN)
    parser.add_argument("--reset", action="store_true", help=messages.HELP_RESET)


def read_password(from_stdin: bool) -> str | None:
    """The new password: stdin's first line, or typed twice (None if the two differ)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(messages.PASSWORD_PROMPT)
    return password if getpass.getpass(messages.PASSWORD_AGAIN_PROMPT) == password else None


def run_create_admin(args: argparse.Namespace, ctx: Context) -> int:
    """Create an administrator account, or with ``--reset`` restore an existing one."""
    try:
        username = staff.normalize_username(args.username)
    except staff.InvalidUsernameError:
        print(messages.USERNAME_INVALID.format(username=args.username), file=ctx.out)
        return 1
    password = read_password(args.password_stdin)
    if password is None:
        print(messages.PASSWORD_MISMATCH, file=ctx.out)
        return 1
    try:
        with session_scope(ctx.sessions) as session:
            user = staff.find_user(session, username)
            if user is not None and not args.reset:
                print(messages.USERNAME_TAKEN.format(username=username), file=ctx.out)
                return 1
            if user is None:
                staff.create_user(session, username, password, StaffRole.ADMIN)
            else:
                staff.reset_user(user, password, StaffRole.ADMIN)
    except staff.WeakPasswordError:
        limits = {"min": staff.MIN_PASSWORD_LENGTH, "max": staff.MAX_PASSWORD_LENGTH}
        print(messages.PASSWORD_LENGTH.format(**limits), file=ctx.out)
        return 1
    except staff.UsernameTakenError:  # created meanwhile by another process
        print(messages.USERNAME_TAKEN.format(username=username), file=ctx.out)
        return 1
    done = messages.ADMIN_CREATED if user is None else messages.ADMIN_RESET
    print(done.format(username=username), file=ctx.out)
    return 0


# -------------------------------------------------------------- seed-demo, migrate


def run_seed_demo(_args: argparse.Namespace, ctx: Context) -> int:
    """Create the fictitious demo dossiers."""
    try:
        with session_scope(ctx.sessions) as session:
            created, existing = seed_demo(session)
    except LookupError:
        print(messages.DEMO_NO_PROCEDURES, file=ctx.out)
        return 1
    print(
        messages.DEMO_DONE.format(created=created, existing=existing, total=created + existing), file=ctx.out
    )
    return 0


def run_migrate(_args: argparse.Namespace, ctx: Context) -> int:
    """Nothing more to do: the database was migrated before the command."""
    print(messages.MIGRATED, file=ctx.out)
    return 0


COMMANDS: list[Command] = [
    Command("import", messages.HELP_IMPORT, configure_import, run_import),
    Command("import-dossiers", messages.HELP_IMPORT_DOSSIERS, configure_import_dossiers, run_import_dossiers),
    Command("show", messages.HELP_SHOW, configure_show, run_show),
    Command("stats", messages.HELP_STATS, _no_arguments, run_stats),
    Command("alias", messages.HELP_ALIAS, configure_alias, run_alias),
    Command("export", messages.HELP_EXPORT, configure_export, run_export),
    Command("search", messages.HELP_SEARCH, configure_search, run_search),
    Command("create-admin", messages.HELP_CREATE_ADMIN, configure_create_admin, run_create_admin),
    Command("seed-demo", messages.HELP_SEED_DEMO, _no_arguments, run_seed_demo),
    Command("migrate", messages.HELP_MIGRATE, _no_arguments, run_migrate),
]


def build_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    """The argument parser of ``commands``."""
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=messages.CLI_DESCRIPTION)
    parser.add_argument("--database", help=messages.HELP_DATABASE)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in commands:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.configure(sub)
        sub.set_defaults(handler=command.run)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, report_dir: Path | None = None) -> int:
    """Run one command; returns the exit status."""
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser(COMMANDS).parse_args(argv)
    engine = make_engine(args.database or settings.database_url)
    try:
        upgrade(engine)
        ctx = Context(
            engine=engine,
            sessions=make_session_factory(engine),
            out=out or sys.stdout,
            report_dir=report_dir or VAR_DIR,
            settings=settings,
        )
        handler: Handler = args.handler
        return handler(args, ctx)
    finally:
        engine.dispose()
