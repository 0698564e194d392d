"""core.links: links made from one reverse() of their route are the records' own."""

from django.urls import reverse

from core.links import record_urls


def test_record_urls_are_the_records_own():
    from django.test.utils import override_script_prefix

    pks = [1, 7, 42, 987, 123456789]
    for name in ("incidents:detail", "training:officer", "incidents:threat_detail"):
        assert record_urls(name, pks) == [reverse(name, args=[pk]) for pk in pks]
    with override_script_prefix("/sro-98/"):
        assert record_urls("incidents:detail", pks) == [reverse("incidents:detail", args=[pk]) for pk in pks]
