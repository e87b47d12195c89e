"""Settings of the test suite (pyproject.toml points pytest-django here): the
production settings of ``pianocasa.settings`` with what tests need on top.

Nothing in production reads a "testing" switch: what differs lives in this module
only, which a production process never imports.
"""

import os

# The production settings refuse to start without a key.
CHIAVE_TEST = "pianocasa-test-chiave-lunga-e-inutile-fuori-dai-test-0123456789"
os.environ.setdefault("DJANGO_SECRET_KEY", CHIAVE_TEST)

from pianocasa.settings import *  # noqa: E402,F403
from pianocasa.settings import MIDDLEWARE, STORAGES, TASKS  # noqa: E402

SECRET_KEY = CHIAVE_TEST

# Tests run tasks at once, in-process; a test that needs the queue overrides it.
TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"

# A PDF rendered after every save would make each test that saves plan data pay
# for it; the tests of that behaviour turn it on.
PIANOCASA_DOCUMENTO_IN_BACKGROUND = False

# Hashing test users' passwords with PBKDF2 dominated the view tests' time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False

# Static files are read as they are, with no collectstatic run first.
STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
if "whitenoise.middleware.WhiteNoiseMiddleware" in MIDDLEWARE:
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Every other setting (django-axes' lockout, the second factor, CSP, the
# inactivity timeout, HSTS and secure cookies) stays as in production: the tests
# check them as they run there.

# The public pages' request limit is off: the crawl and view tests ask the same
# pages many times from one address; tests/test_pubblico_limiti.py turns it on.
PIANOCASA_LIMITE_PUBBLICO = "0/60"

# Stored documents (approved plans, published graduatorie) go to a throwaway
# folder, never into the checkout's var/.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pianocasa-test-media-"))
