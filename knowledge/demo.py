"""Demonstration dossiers: about forty clearly fictitious ones.

Applicants are named "Nguyễn Văn Thử", "Trần Thị Mẫu"...; their phone numbers
are in the reserved test range 0900 000 001-0900 000 040, so the secret of
demo dossier N is its number on 4 digits ("0001"). Every status is covered,
each dossier has its status history, and each is linked to a real, commonly
asked procedure. Receipt codes are fixed (same codes on every run); dates
count back from the day of seeding, so that statuses fit them; seeding again
leaves existing demo dossiers alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import Dossier, DossierEvent, DossierStatus, EventSource, Procedure
from knowledge.settings import get_settings
from knowledge.verification import hash_secret, secret_from_phone

logger = logging.getLogger(__name__)

COUNT = 40
# The date part of the receipt codes counts back from this day (fixed, so codes never change).
ANCHOR = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
PROVINCE_OFFICE = "000.00.04.H51"
COMMUNE_OFFICE = "000.22.31.H51"

# Common procedures (code, working days to process, handled at the commune).
PROCEDURES: tuple[tuple[str, int, bool], ...] = (
    ("1.001193", 3, True),  # đăng ký khai sinh
    ("1.000894", 5, True),  # đăng ký kết hôn
    ("1.000656", 3, True),  # đăng ký khai tử
    ("1.004873", 3, True),  # xác nhận tình trạng hôn nhân
    ("1.004222", 7, True),  # đăng ký thường trú
    ("1.004194", 3, True),  # đăng ký tạm trú
    ("1.014061", 7, True),  # cấp thẻ căn cước
    ("1.013978", 20, True),  # cấp giấy chứng nhận quyền sử dụng đất lần đầu
    ("1.012786", 10, False),  # cấp lại giấy chứng nhận do bị mất
    ("1.001612", 3, True),  # đăng ký thành lập hộ kinh doanh
    ("2.000815", 1, True),  # chứng thực bản sao
    ("1.013225", 15, True),  # giấy phép xây dựng
    ("3.000333", 10, False),  # phiếu lý lịch tư pháp
    ("1.001456", 8, False),  # hộ chiếu phổ thông
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN_NAMES = ("Văn Thử", "Thị Mẫu", "Văn Mẫu", "Thị Thử")
STATUS_CYCLE = (
    DossierStatus.RECEIVED,
    DossierStatus.IN_PROGRESS,
    DossierStatus.NEEDS_SUPPLEMENT,
    DossierStatus.READY,
    DossierStatus.RETURNED,
    DossierStatus.REJECTED,
    DossierStatus.OVERDUE,
)
STEPS: dict[DossierStatus, str] = {
    DossierStatus.RECEIVED: "Tiếp nhận hồ sơ",
    DossierStatus.IN_PROGRESS: "Thẩm định hồ sơ",
    DossierStatus.NEEDS_SUPPLEMENT: "Chờ công dân bổ sung hồ sơ",
    DossierStatus.READY: "Trả kết quả",
    DossierStatus.RETURNED: "Đã trả kết quả",
    DossierStatus.REJECTED: "Từ chối giải quyết",
    DossierStatus.OVERDUE: "Thẩm định hồ sơ (quá hạn)",
}
NOTES: dict[DossierStatus, str] = {
    DossierStatus.RECEIVED: "Hồ sơ đã được tiếp nhận tại Bộ phận Một cửa.",
    DossierStatus.IN_PROGRESS: "Hồ sơ được chuyển cho bộ phận chuyên môn thẩm định.",
    DossierStatus.NEEDS_SUPPLEMENT: "Đề nghị công dân bổ sung giấy tờ còn thiếu.",
    DossierStatus.READY: "Đã có kết quả, mời công dân đến nhận.",
    DossierStatus.RETURNED: "Đã trả kết quả cho công dân.",
    DossierStatus.REJECTED: "Hồ sơ không đủ điều kiện giải quyết; đã thông báo lý do bằng văn bản.",
    DossierStatus.OVERDUE: "Hồ sơ quá hạn giải quyết; cơ quan đã gửi văn bản xin lỗi và hẹn lại ngày trả.",
}
SUPPLEMENTS = (
    "Bản sao giấy tờ chứng minh chỗ ở hợp pháp",
    "Tờ khai có chữ ký của người yêu cầu",
)
# The path of statuses a dossier went through to reach its current one.
HISTORY: dict[DossierStatus, tuple[DossierStatus, ...]] = {
    DossierStatus.RECEIVED: (DossierStatus.RECEIVED,),
    DossierStatus.IN_PROGRESS: (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS),
    DossierStatus.NEEDS_SUPPLEMENT: (
        DossierStatus.RECEIVED,
        DossierStatus.IN_PROGRESS,
        DossierStatus.NEEDS_SUPPLEMENT,
    ),
    DossierStatus.READY: (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.READY),
    DossierStatus.RETURNED: (
        DossierStatus.RECEIVED,
        DossierStatus.IN_PROGRESS,
        DossierStatus.READY,
        DossierStatus.RETURNED,
    ),
    DossierStatus.REJECTED: (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.REJECTED),
    DossierStatus.OVERDUE: (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.OVERDUE),
}


@dataclass(frozen=True)
class DemoDossier:
    """What demo dossier ``number`` is, before it is stored."""

    number: int
    receipt_code: str
    procedure_code: str
    applicant_name: str
    phone: str
    status: DossierStatus
    received_at: datetime
    due_at: datetime
    commune: bool


def phone_of(number: int) -> str:
    """The reserved test phone number of demo dossier ``number`` (0900 000 0NN)."""
    return f"0900000{number:03d}"


def received_days_ago(status: DossierStatus, days: int, number: int) -> int:
    """How long ago a demo dossier was received, so that its status fits its dates.

    Dossiers being processed are within their processing time (not late);
    finished ones were received earlier; only the "overdue" ones are past due.
    """
    if status in (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.NEEDS_SUPPLEMENT):
        return number % max(days, 1)
    if status is DossierStatus.READY:
        return days + 1
    if status is DossierStatus.OVERDUE:
        return days + 5 + number % 5
    return days + 10 + number % 7


def plan(count: int = COUNT, now: datetime | None = None) -> list[DemoDossier]:
    """The demo dossiers: always the same codes, with dates counted back from ``now``.

    The receipt codes (and their date part) come from the fixed ``ANCHOR``, so
    they never change; the received and due dates are recent, so that a
    dossier "being processed" is not two years late.
    """
    moment = now or datetime.now(UTC)
    today = moment.replace(hour=ANCHOR.hour, minute=0, second=0, microsecond=0)
    if today > moment:  # before 08:00 UTC: count back from yesterday, never from the future
        today -= timedelta(days=1)
    dossiers = []
    for number in range(1, count + 1):
        code, days, commune = PROCEDURES[(number - 1) % len(PROCEDURES)]
        status = STATUS_CYCLE[(number - 1) % len(STATUS_CYCLE)]
        code_date = ANCHOR - timedelta(days=(count - number) // 2)
        received = today - timedelta(days=received_days_ago(status, days, number), hours=number % 5)
        office = COMMUNE_OFFICE if commune else PROVINCE_OFFICE
        dossiers.append(
            DemoDossier(
                number=number,
                receipt_code=f"{office}-{code_date:%y%m%d}-{number:04d}",
                procedure_code=code,
                applicant_name=f"{SURNAMES[(number - 1) % len(SURNAMES)]} "
                f"{GIVEN_NAMES[(number - 1) // len(SURNAMES) % len(GIVEN_NAMES)]}",
                phone=phone_of(number),
                status=status,
                received_at=received,
                due_at=received + timedelta(days=days + 2 * (days // 5)),
                commune=commune,
            )
        )
    return dossiers


def _pickup_place(commune: bool) -> str:
    province = get_settings().province_name
    if commune:
        return f"Bộ phận Một cửa Ủy ban nhân dân xã (hồ sơ mẫu), tỉnh {province}"
    return f"Trung tâm Phục vụ hành chính công tỉnh {province}"


def _build(item: DemoDossier, procedure: Procedure) -> Dossier:
    history = HISTORY[item.status]
    finished = item.status in (DossierStatus.RETURNED, DossierStatus.REJECTED)
    dossier = Dossier(
        receipt_code=item.receipt_code,
        procedure=procedure,
        applicant_name=item.applicant_name,
        verification_hash=hash_secret(secret_from_phone(item.phone)),
        received_at=item.received_at,
        due_at=item.due_at,
        status=item.status.value,
        current_step=STEPS[item.status],
        pickup_place=_pickup_place(item.commune),
        supplement_request=list(SUPPLEMENTS) if item.status is DossierStatus.NEEDS_SUPPLEMENT else [],
    )
    # The history spreads up to now at most: an event dated in the future would outrank every
    # real change made afterwards (history order, and "stale" for the one-stop system's events).
    end = max(min(item.due_at, datetime.now(UTC)), item.received_at)
    step = (end - item.received_at) / max(len(history), 1)
    when = item.received_at
    for status in history:
        dossier.events.append(
            DossierEvent(
                occurred_at=when,
                status=status.value,
                step=STEPS[status],
                note=NOTES[status],
                source=EventSource.DEMO.value,
            )
        )
        when += step
    if finished:
        dossier.finished_at = dossier.events[-1].occurred_at
    return dossier


def seed_demo(session: Session, count: int = COUNT) -> tuple[int, int]:
    """Create the demo dossiers that do not exist yet; returns (created, existing).

    Raises ``LookupError`` if none of the demo procedures is in the database.
    """
    items = plan(count)
    codes = {item.procedure_code for item in items}
    procedures = {p.code: p for p in session.scalars(select(Procedure).where(Procedure.code.in_(codes)))}
    if not procedures:
        raise LookupError("no demo procedure in the database")
    existing = set(
        session.scalars(
            select(Dossier.receipt_code).where(Dossier.receipt_code.in_([i.receipt_code for i in items]))
        )
    )
    created = 0
    for item in items:
        if item.receipt_code in existing:
            continue
        procedure = procedures.get(item.procedure_code) or next(iter(procedures.values()))
        session.add(_build(item, procedure))
        created += 1
    session.flush()
    logger.info("Demo dossiers: %s created, %s existing", created, len(existing))
    return created, len(existing)
