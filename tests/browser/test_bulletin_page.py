"""The bulletin page (web/bulletin.html + bulletin.js)."""

from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser

BULLETIN = "learning-review-issue-2"


def _bulletin(server):
    with urllib.request.urlopen(f"{server}/api/bulletins/{BULLETIN}", timeout=10) as r:  # noqa: S310 - loopback
        return json.load(r)


def test_whole_bulletin_with_headings_and_passage_ids(page, server):
    data = _bulletin(server)
    page.goto(f"{server}/bulletin/{BULLETIN}")
    page.wait_for_selector("#bulletin:not([aria-busy])")
    assert page.locator("#bulletin-title").inner_text() == (data.get("name") or data["title"])
    passages = page.locator("#bulletin .passage")
    assert passages.count() == len(data["passages"])
    first, last = data["passages"][0], data["passages"][-1]
    assert page.locator(f'[id="{first["id"]}"]').inner_text() == first["text"]
    assert page.locator(f'[id="{last["id"]}"]').inner_text() == last["text"]
    headings = page.locator("#bulletin :is(h2, h3)").all_inner_texts()
    for case in {p["case"] for p in data["passages"] if p.get("case")}:
        assert case in headings
    assert page.locator(".passage.is-target").count() == 0
    assert page.locator("a.back-link[href='/']").count() == 1


def test_hash_highlights_scrolls_to_and_focuses_the_passage(make_page, server):
    data = _bulletin(server)
    target = next(p for p in data["passages"] if "reported missing" in p["text"])
    other = data["passages"][-1]
    page = make_page(width=360, height=700)
    page.goto(f"{server}/bulletin/{BULLETIN}#{target['id']}")
    el = page.locator(f'[id="{target["id"]}"]')
    page.wait_for_selector(f'[id="{target["id"]}"].is-target')
    assert page.evaluate("document.activeElement.id") == target["id"]
    assert el.get_attribute("tabindex") == "-1"
    box = el.bounding_box()
    assert 0 <= box["y"] < 700, "the passage is scrolled into view"
    bg = el.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")

    page.evaluate(f"location.hash = {json.dumps(other['id'])}")
    page.wait_for_selector(f'[id="{other["id"]}"].is-target')
    assert page.locator(".passage.is-target").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_unknown_bulletin_says_so(page, server):
    page.goto(f"{server}/bulletin/no-such-bulletin")
    status = page.locator("#bulletin-status.load-error")
    status.wait_for()
    assert status.inner_text().strip()


def test_bulletin_page_accessibility(make_page, server, run_axe):
    page = make_page(bypass_csp=True)
    page.goto(f"{server}/bulletin/{BULLETIN}#{_bulletin(server)['passages'][3]['id']}")
    page.wait_for_selector(".passage.is-target")
    assert run_axe(page) == []


def test_the_page_lists_every_bulletin_newest_first(page, server):
    with urllib.request.urlopen(f"{server}/api/bulletins", timeout=10) as r:  # noqa: S310 - loopback
        served = json.load(r)["bulletins"]
    page.goto(f"{server}/bulletin/{BULLETIN}")
    page.wait_for_selector("#all-bulletins:not([hidden]) li")
    links = page.locator("#bulletin-list a")
    assert links.count() == len(served)
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [f"/bulletin/{b['id']}" for b in served]
    assert page.locator('#bulletin-list a[aria-current="page"]').inner_text() == served[0]["name"]
