"""SQLite storage with versioned migrations."""
