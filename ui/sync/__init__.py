"""File -> Sync with server…: the sync dialog (team mode)."""

from ui.sync.dialog import SyncDialog, show_sync_dialog

__all__ = ["SyncDialog", "show_sync_dialog"]
