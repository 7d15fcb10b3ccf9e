"""The doctor dialog and its check list: a profile diagnosed step by step, live.

Widgets only (no asyncio, httpx or bridge): the checks run in ``desktop.ui.bridge.doctor_runner``
and arrive here as typed signals.
"""
