"""Fallback settings for the benchmark server, used ONLY when `collectstatic` fails with the real
settings (a vendored file naming a missing source map): identical to sro_program.settings except
that the hashed static storage does not rewrite `sourceMappingURL` comments. bench/run.py says
so when it falls back."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

from sro_program.settings import *  # noqa: F403
from sro_program.settings import STORAGES


class WithoutSourceMaps(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (glob, tuple(p for p in rules if "sourceMappingURL" not in (p if isinstance(p, str) else p[0])))
        for glob, rules in ManifestStaticFilesStorage.patterns
    )


STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "bench.settings.WithoutSourceMaps"}}
