"""Typed keys of the gateway's application state (``web.AppKey``)."""

from __future__ import annotations

import aiohttp
from aiohttp import web
from sqlalchemy.orm import Session, sessionmaker

from bot.conversations import Conversations
from bot.coordination import Coordination
from bot.delivery import Delivery
from bot.message_log import MessageLog
from bot.rasa_client import RasaClient
from knowledge.catalog import Catalog
from knowledge.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
SESSIONS = web.AppKey("sessions", sessionmaker[Session])
HTTP = web.AppKey("http", aiohttp.ClientSession)
RASA = web.AppKey("rasa", RasaClient)
LOG = web.AppKey("log", MessageLog)
CONVERSATIONS = web.AppKey("conversations", Conversations)
DELIVERY = web.AppKey("delivery", Delivery)
CATALOG = web.AppKey("catalog", Catalog)
COORDINATION = web.AppKey("coordination", Coordination)
