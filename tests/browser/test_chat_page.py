"""The chat page (web/index.html + app.js + contacts.js, rendering core from widget.js)."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

MISSING = "What do I do when a child goes missing?"
URGENT = "A 13 year old has just told me her stepdad hit her and she is scared to go home tonight"
OFF_TOPIC = "What's the weather tomorrow?"
XSS = "<img src=x onerror=alert(1)>"


def _reply(page):
    """The latest finished reply (or error) in the conversation log."""
    page.wait_for_selector("#log .exchange:last-child .msg-bot :is(.reply, .error)")
    return page.locator("#log .exchange").last


def test_missing_child_answer_quotes_highlights_and_cites(page, server, ask):
    page.goto(server + "/")
    data = ask(page, MISSING)
    exchange = _reply(page)

    card = exchange.locator(".card", has_text="reported missing").first
    card.wait_for()
    quote = card.locator("blockquote")
    answer = next(a for a in data["answers"] if "reported missing" in a["text"])
    assert quote.inner_text().strip() == answer["text"].strip(), "the passage is quoted verbatim"

    marks = [m.lower() for m in quote.locator("mark").all_inner_texts()]
    assert marks, "matched terms are highlighted"
    terms = {t.lower() for t in answer["matched_terms"]}
    assert set(marks) <= terms
    assert "missing" in marks

    link = card.locator(".cite a")
    assert "Case 1" in link.inner_text()
    assert link.get_attribute("href") in (answer["citation"]["url"], server + answer["citation"]["url"])
    assert card.locator(".kind").inner_text().strip()

    # focus stays in the question box, which is cleared for the next question
    assert page.evaluate("document.activeElement.id") == "question"
    assert page.input_value("#question") == ""
    assert exchange.locator(".said-text").inner_text() == MISSING

    link.click()
    page.wait_for_url(re.compile(r"/bulletin/[^#]+#.+"))
    passage_id = page.url.split("#", 1)[1]
    target = page.locator(f'[id="{passage_id}"]')
    target.wait_for()
    page.wait_for_selector(f'[id="{passage_id}"].is-target')
    assert "reported missing" in target.inner_text()
    assert page.evaluate("document.activeElement.id") == passage_id
    assert page.locator(".passage.is-target").count() == 1

    page.locator("#back-link").click()
    page.wait_for_url(server + "/")


def test_back_to_the_chat_keeps_the_conversation(server, bfcache_browser):
    """The bulletin's back link returns through history, so the back/forward cache keeps the chat."""
    context = bfcache_browser.new_context()
    try:
        page = context.new_page()
        page.goto(server + "/")
        page.fill("#question", MISSING)
        page.press("#question", "Enter")
        page.locator(".card .cite a").first.click()
        page.wait_for_selector(".passage.is-target")
        page.locator("#back-link").click()
        page.wait_for_url(server + "/", wait_until="commit")
        expect(page.locator("#log .said-text")).to_have_text([MISSING])
        expect(page.locator("#log .card").first).to_be_visible()
    finally:
        context.close()


def test_urgent_question_shows_999_banner_before_passages(page, server, ask):
    page.goto(server + "/")
    page.wait_for_selector("#contacts[data-loaded]")
    page.select_option("#area", "rutland")
    data = ask(page, URGENT)
    assert data["urgent"] is True
    exchange = _reply(page)

    banner = exchange.locator(".urgent[role='alert']")
    banner.wait_for()
    assert "If a child is in immediate danger call 999" in banner.inner_text()
    assert banner.locator("a[href='tel:999']").count() == 1
    duty = next(c for c in data["contacts"] if c["area_id"] == "rutland")
    assert banner.locator(f"a[href='tel:{duty['tel']}']").count() == 1

    # the banner comes before any passage card and before the message
    order = page.evaluate(
        """() => {
            const ex = [...document.querySelectorAll('#log .exchange')].pop();
            const banner = ex.querySelector('.urgent');
            const later = [...ex.querySelectorAll('.card, .message')];
            return later.every(n => banner.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    assert order


def test_off_topic_question_says_so_and_points_to_duty_team(page, server, ask):
    page.goto(server + "/")
    data = ask(page, OFF_TOPIC)
    assert data["no_match"] is True
    exchange = _reply(page)
    reply = exchange.locator(".reply.is-no-match")
    reply.wait_for()
    assert data["message"] in reply.inner_text()
    assert exchange.locator(".card").count() == 0
    assert reply.locator("a[href^='tel:']").count() >= 1


def test_markup_in_a_question_is_shown_as_text(page, server, ask):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    ask(page, XSS)
    exchange = _reply(page)
    assert exchange.locator(".said-text").inner_text() == XSS
    page.wait_for_timeout(300)  # give a would-be onerror handler time to fire
    assert page.locator("#log img").count() == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert dialogs == []


def test_personal_data_warning_is_shown_above_the_reply(page, server, ask):
    question = "A girl called Jane Smith has gone missing, what do I do?"
    page.goto(server + "/")
    data = ask(page, question)
    assert data["personal_data_warning"], "the server should flag the name"
    exchange = _reply(page)
    notice = exchange.locator(".reply > .notice")
    assert data["personal_data_warning"] in notice.inner_text()
    first = exchange.locator(".reply > *").first
    assert first.get_attribute("class") == "notice", "the warning comes before the answer"
    # the question on screen is the server's redacted copy, so the name doesn't stay on screen
    said = exchange.locator(".said-text").inner_text()
    assert "Jane Smith" not in said and said == data["question"]


def test_api_errors_are_shown_to_the_user(page, server):
    page.goto(server + "/")
    page.route("**/api/ask", lambda route: route.fulfill(
        status=422, content_type="application/json", json={"detail": "Questions can be at most 500 characters."}))
    page.fill("#question", "too long, says the server")
    page.press("#question", "Enter")
    err = page.locator("#log .error").last
    err.wait_for()
    assert err.inner_text() == "Questions can be at most 500 characters."

    page.unroute("**/api/ask")
    page.route("**/api/ask", lambda route: route.fulfill(
        status=429, headers={"Retry-After": "12"}, content_type="application/json", json={"detail": "Too many questions."}))
    page.fill("#question", "again")
    page.press("#question", "Enter")
    expect(page.locator("#log .error")).to_have_count(2)
    assert page.locator("#log .error").last.inner_text() == "Too many questions. You can ask again in 12 seconds."

    # an empty question is not sent; the form says why
    page.fill("#question", "   ")
    page.press("#question", "Enter")
    assert page.locator("#question-error").inner_text() == "Type a question first."
    assert page.get_attribute("#question", "maxlength") == "500"


def test_contacts_panel_links_and_area_remembered(page, server, ask):
    page.goto(server + "/")
    aside = page.locator("aside#contacts")
    page.wait_for_selector("#contacts[data-loaded]")
    assert aside.locator("a[href='tel:999']").count() == 1
    assert aside.locator("a[href^='tel:']").count() >= 4  # three duty teams + out of hours + 999

    page.select_option("#area", "rutland")
    assert aside.locator("#contacts-quick a[href='tel:01572758407']").count() == 1
    mail = aside.locator("a[href^='mailto:']")
    assert mail.count() == 1 and "rutland" in mail.get_attribute("href").lower()
    ooh = aside.locator("#contacts-list a[href^='tel:']")
    assert ooh.count() == 1  # out of hours

    page.reload()
    page.wait_for_selector("#contacts-quick a[href='tel:01572758407']")
    assert page.input_value("#area") == "rutland"

    with page.expect_request("**/api/ask") as req:
        page.fill("#question", MISSING)
        page.press("#question", "Enter")
    assert req.value.post_data_json == {"question": MISSING, "area": "rutland"}
    assert page.context.cookies() == []


def test_narrow_screen_keeps_numbers_in_reach_without_horizontal_scroll(make_page, server, ask):
    page = make_page(width=320, height=640)
    page.goto(server + "/")
    page.wait_for_selector("#contacts[data-loaded]")
    ask(page, MISSING)
    _reply(page)
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(200)
    # the 999 link stays on screen while scrolled through the conversation
    box = page.locator("#contacts-quick a[href='tel:999']").bounding_box()
    assert box and 0 <= box["y"] < 640 and box["height"] >= 24
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    toggle = page.locator("#contacts-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.select_option("#area", "leicester-city")
    assert page.locator("#contacts-quick a[href='tel:01162527004']").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_keyboard_only_use(page, server):
    page.goto(server + "/")
    page.wait_for_selector("#contacts[data-loaded]")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0, "the skip link is on screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "question"

    # a starter question from the keyboard: focus lands back in the question box
    starter = page.locator(".starter", has_text="What do I do when a child goes missing?")
    starter.focus()
    ring = starter.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert ring.startswith("solid") and not ring.endswith(" 0px"), "visible focus ring"
    with page.expect_response("**/api/ask"):
        page.keyboard.press("Enter")
    page.locator("#log .card").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "question"
    for target in page.locator("button, a, input, select").all():
        if target.is_visible():
            b = target.bounding_box()
            inline = target.evaluate("e => getComputedStyle(e).display === 'inline'")
            assert inline or (b["width"] >= 24 and b["height"] >= 24), target.evaluate("e => e.outerHTML.slice(0, 80)")


def test_chat_page_has_no_serious_accessibility_violations(make_page, server, ask, run_axe):
    for width in (1280, 360):
        page = make_page(width=width, height=900, bypass_csp=True)
        page.goto(server + "/")
        page.wait_for_selector("#contacts[data-loaded]")
        ask(page, MISSING)
        _reply(page)
        ask(page, URGENT)
        _reply(page)
        assert run_axe(page) == [], f"axe violations at {width}px"
        assert page.evaluate("document.documentElement.lang") == "en"
        for landmark in ("header", "main", "aside", "footer"):
            assert page.locator(landmark).count() >= 1


def test_screenshots_of_the_chat_page(make_page, server, ask, artifacts):
    for width in (360, 1280):
        page = make_page(width=width, height=900 if width > 400 else 780, reduced_motion="reduce")
        page.add_init_script("localStorage.setItem('safeguarding-assistant.area', 'rutland')")
        page.goto(server + "/")
        page.wait_for_selector("#contacts[data-loaded]")
        ask(page, MISSING)
        _reply(page)
        page.wait_for_timeout(200)
        page.screenshot(path=str(artifacts / f"chat-{width}.png"), animations="disabled")
        page.evaluate("window.scrollTo(0, 0)")  # so the sticky contacts bar is drawn where it belongs
        page.screenshot(path=str(artifacts / f"chat-{width}-full.png"), full_page=True, animations="disabled")
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_rate_limit_from_the_real_server_is_explained(page, limited_server):
    """The server's 429 detail and Retry-After reach the user (same origin)."""
    page.goto(limited_server + "/")
    for i in range(5):
        page.fill("#question", f"{MISSING} ({i})")
        page.press("#question", "Enter")
        expect(page.locator("#log .exchange .msg-bot :is(.reply, .error)")).to_have_count(i + 1)
        if page.locator("#log .error").count():
            break
    error = page.locator("#log .error").last.inner_text()
    assert error.startswith("Too many questions")
    assert re.search(r"You can ask again in \d+ seconds?\.$", error)
