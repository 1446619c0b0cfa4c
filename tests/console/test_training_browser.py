""" "Huấn luyện lại" in a real browser (Debian chromium), with a real ``rasa train``:
an editor retrains with examples taught in the inbox, the new model is evaluated
and loaded into a running Rasa server while it keeps answering, then rolled back;
a new model that is not better enough is refused.

The test has its own Rasa server (the base model), so loading models into it
does not touch the server the other tests share.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from bot.app import create_app
from knowledge.db import make_engine, make_session_factory
from knowledge.models import TrainingExample, TrainingOutcome, TrainingRun
from knowledge.settings import Settings
from nlu import engine
from tests.console.conftest import PASSWORD, ROLES
from tests.widget.conftest import LOOP, start

pytestmark = [LOOP, pytest.mark.timeout(1800)]
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS")

# Slang for money ("lúa", "xèng") the base model takes for out of scope, taught as ask_fee.
TAUGHT_INTENT = "ask_fee"
TAUGHT = ("đóng bao nhiêu lúa", "mấy xèng thế shop", "hết bao nhiêu lúa vậy ad")
PROBE = TAUGHT[0]
LOADING_MS = 240_000


@dataclasses.dataclass
class Site:
    url: str
    rasa: engine.RasaServer
    settings: Settings


@pytest.fixture
def rasa(trained_model: Path, tmp_path: Path) -> Iterator[engine.RasaServer]:
    with engine.rasa_server(trained_model, endpoints=None, log=tmp_path / "rasa.log") as server:
        yield server


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "models"
    monkeypatch.setenv("CONSOLE_MODELS_DIR", str(folder))
    return folder


async def _site(settings: Settings) -> tuple[web.AppRunner, str]:
    return await start(create_app(settings, notify=False))


@pytest_asyncio.fixture(loop_scope="session")
async def site(
    rasa: engine.RasaServer, console_database_url: str, tmp_path: Path, models_dir: Path
) -> AsyncIterator[Site]:
    settings = dataclasses.replace(
        Settings(),
        database_url=console_database_url,
        rasa_url=rasa.url,
        rasa_token=rasa.token,
        training_dir=str(tmp_path / "training"),
    )
    runner, url = await _site(settings)
    yield Site(url, rasa, settings)
    await runner.cleanup()


async def parse(http: aiohttp.ClientSession, server: engine.RasaServer, text: str) -> str:
    async with http.post(
        f"{server.url}/model/parse", params={"token": server.token}, json={"text": text}
    ) as r:
        r.raise_for_status()
        return str((await r.json())["intent"]["name"])


async def served(http: aiohttp.ClientSession, server: engine.RasaServer) -> str:
    async with http.get(f"{server.url}/status", params={"token": server.token}) as response:
        return Path(str((await response.json())["model_file"])).name


async def sign_in(page: Page, url: str, role: str) -> None:
    await page.goto(url + "/console/training")
    await page.get_by_label("Tên đăng nhập").fill(ROLES[role])
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("heading", name="Huấn luyện lại", exact=True)).to_be_visible()


async def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"console-{name}.png"), full_page=False)


@contextlib.asynccontextmanager
async def watching(http: aiohttp.ClientSession, server: engine.RasaServer) -> AsyncIterator[list[str]]:
    """Ask Rasa every half second while the block runs; collect every failure."""
    failures: list[str] = []

    async def ask() -> None:
        while True:
            try:
                await parse(http, server, "lệ phí làm hộ chiếu bao nhiêu")
            except (aiohttp.ClientError, TimeoutError) as error:
                failures.append(repr(error))
            await asyncio.sleep(0.5)

    task = asyncio.create_task(ask())
    try:
        yield failures
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _teach(database_url: str) -> None:
    engine_ = make_engine(database_url)
    with make_session_factory(engine_)() as session, session.begin():
        session.add_all(
            TrainingExample(text=t, intent=TAUGHT_INTENT, created_by="thu.editor") for t in TAUGHT
        )
    engine_.dispose()


def _runs(database_url: str) -> list[TrainingRun]:
    engine_ = make_engine(database_url)
    with make_session_factory(engine_)() as session:
        runs = list(session.scalars(select(TrainingRun).order_by(TrainingRun.id)))
        examples = list(session.scalars(select(TrainingExample)))
        session.expunge_all()
    engine_.dispose()
    assert all(e.used_in_model for e in examples), "the examples are stamped with the model they went into"
    return runs


async def test_retrain_evaluate_hot_reload_and_roll_back(
    browser: Browser, site: Site, console_database_url: str, trained_model: Path, models_dir: Path
) -> None:
    _teach(console_database_url)
    async with aiohttp.ClientSession() as http:
        assert await served(http, site.rasa) == trained_model.name
        assert await parse(http, site.rasa, PROBE) != TAUGHT_INTENT, "pick a probe the base model misses"

        page = await browser.new_page(locale="vi-VN")
        await sign_in(page, site.url, "editor")
        await expect(page.get_by_text("Ví dụ cán bộ đã dạy (3)")).to_be_visible()
        await expect(page.get_by_role("cell", name=TAUGHT[0])).to_be_visible()

        async with watching(http, site.rasa) as failures:
            await page.get_by_role("button", name="Huấn luyện lại").click()
            await expect(page.get_by_text("Đã bắt đầu huấn luyện lại")).to_be_visible()
            # Progress and Rasa's own log show while it trains (the page reloads itself).
            await expect(page.get_by_role("status").filter(has_text="Huấn luyện (rasa train)")).to_be_visible(
                timeout=120_000
            )
            await expect(page.get_by_label("Nhật ký huấn luyện")).to_contain_text(
                "3 examples from the console", timeout=60_000
            )
            await shot(page, "training")
            await expect(page.get_by_role("status").filter(has_text="Đã nạp")).to_be_visible(
                timeout=1_500_000
            )
        assert failures == [], "Rasa kept answering while the new model was loaded"

        await expect(
            page.locator("p.notice").filter(has_text="Đã nạp mô hình mới: độ chính xác")
        ).to_be_visible()
        await expect(page.get_by_role("row", name="Mô hình mới")).to_be_visible()
        new_model = await served(http, site.rasa)
        assert new_model.startswith("tthc-console-") and (models_dir / new_model).is_file()
        assert await parse(http, site.rasa, PROBE) == TAUGHT_INTENT
        assert engine.serving_model() == (models_dir / new_model).resolve(), "a restart serves it too"
        (run,) = _runs(console_database_url)
        assert (run.outcome, run.is_serving, run.examples_total) == (TrainingOutcome.LOADED, True, 3)
        assert run.candidate_accuracy is not None and run.serving_accuracy is not None
        assert run.candidate_accuracy >= run.serving_accuracy - site.settings.retrain_margin

        # One click back to the base model, and forward again.
        await page.goto(site.url + "/console/training")
        await shot(page, "training-models")
        # Loading a model takes Rasa from seconds to a minute on a busy machine; the page waits for it.
        await page.get_by_role("button", name="Quay về mô hình gốc").click(timeout=LOADING_MS)
        await expect(page.get_by_text("Máy chủ Rasa đã chuyển sang mô hình đã chọn.")).to_be_visible()
        assert await served(http, site.rasa) == trained_model.name
        assert engine.serving_model() == engine.model_path()
        await page.get_by_role("button", name="Dùng lại mô hình này").click(timeout=LOADING_MS)
        await expect(page.get_by_text("Máy chủ Rasa đã chuyển sang mô hình đã chọn.")).to_be_visible()
        assert await served(http, site.rasa) == new_model

        # A gateway that demands a much better model refuses the next one and keeps serving this one.
        strict = dataclasses.replace(site.settings, retrain_margin=-0.5)
        runner, strict_url = await _site(strict)
        try:
            # Same database, same host: the editor's session is valid on this gateway too.
            await page.goto(strict_url + "/console/training")
            await page.get_by_role("button", name="Huấn luyện lại").click()
            await expect(page.get_by_role("status").filter(has_text="Không nạp (kém hơn)")).to_be_visible(
                timeout=1_500_000
            )
            await expect(
                page.locator("p.notice").filter(has_text="Mô hình đang chạy được giữ nguyên.")
            ).to_be_visible()
        finally:
            await runner.cleanup()
        assert await served(http, site.rasa) == new_model
        runs = _runs(console_database_url)
        assert [r.outcome for r in runs] == [TrainingOutcome.LOADED, TrainingOutcome.REFUSED]
        assert not any(p.name.startswith(f"tthc-console-{runs[1].id}-") for p in models_dir.iterdir())
        await page.close()


async def test_viewers_and_operators_cannot_retrain(browser: Browser, site: Site) -> None:
    async with aiohttp.ClientSession() as http:
        for role in ("viewer", "operator"):
            page = await browser.new_page(locale="vi-VN")
            await page.goto(site.url + "/console/training")
            await page.get_by_label("Tên đăng nhập").fill(ROLES[role])
            await page.get_by_label("Mật khẩu").fill(PASSWORD)
            await page.get_by_role("button", name="Đăng nhập").click()
            await expect(page.get_by_role("link", name="Huấn luyện")).to_have_count(0)
            response = await page.goto(site.url + "/console/training")
            assert response is not None and response.status == 403
            await page.close()
        # Without a session, starting a run is not possible either.
        async with http.post(f"{site.url}/console/training/start", allow_redirects=False) as response:
            assert response.status in (302, 303, 403)
        assert _runs_count(site) == 0


def _runs_count(site: Site) -> int:
    engine_ = make_engine(site.settings.database_url)
    with make_session_factory(engine_)() as session:
        count = len(list(session.scalars(select(TrainingRun.id))))
    engine_.dispose()
    return count
