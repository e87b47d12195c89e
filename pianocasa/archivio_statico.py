"""Static files storage for production: WhiteNoise's hashed, compressed copies."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ArchivioStatico(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, tolerant of files that do not exist.

    design-django-theme's base template still resolves ``{% static %}`` for
    owl.carousel files it no longer ships (the tags sit inside an HTML comment, but
    the template engine runs them): the strict manifest would turn every page into
    a 500. An unknown name gets its plain URL (a 404 for that file).
    """

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name
