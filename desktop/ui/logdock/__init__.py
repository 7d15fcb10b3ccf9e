"""The network log dock: the exchange table and its model, the filter bar, the detail tabs
(request, response, stream frames, timing, diagnosis) and HAR/JSON-lines export.

Widgets only (no asyncio, httpx or bridge). Reads ``desktop.netlog`` records; may import ``kit``.
"""
