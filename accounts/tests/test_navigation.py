from django.urls import reverse


def test_the_most_specific_navigation_entry_is_marked_current(coordinator_client):
    page = coordinator_client.get(reverse("schools:coverage")).text
    assert 'aria-current="page">Coverage<' in page
    assert 'aria-current="page">Schools<' not in page
