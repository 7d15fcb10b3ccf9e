"""Bot profiles: the profile dialog (list, form, import/export, Test connection).

Widgets only (no asyncio, httpx or bridge). Tokens pass through to the secret store; they are
never kept in a widget longer than the form that shows them.
"""
