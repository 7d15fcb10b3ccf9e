"""Shared pieces every UI package may use: theme and palettes, window chrome and style
sheets, translations, small widget helpers, the start-up import rules and the intents (the
payloads of the widgets' signals).

Imports only Qt and the Qt-free core; no other ``desktop.ui`` package.
"""
