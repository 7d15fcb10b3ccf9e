"""The sidebar: bot picker, search, and the session list with its painted rows.

Widgets only (no asyncio, httpx or bridge). May import ``kit`` and storages value types.
"""
