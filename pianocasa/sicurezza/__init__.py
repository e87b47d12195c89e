"""Login security: the second factor (TOTP), the inactivity timeout, the
``Cache-Control: no-store`` header on authenticated pages, and the pages where
users change their password and manage their authenticator app.

Core layer: imports nothing from the domain apps.
"""
