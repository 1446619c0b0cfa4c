"""The gateway: one aiohttp application for every channel (see README.md beside it)."""
