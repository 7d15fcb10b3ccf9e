"""Coze Desktop: a native desktop client for Coze chat bots."""

__version__ = "0.1.0"
