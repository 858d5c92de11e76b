"""Issue 12 item 12: at 390×844 tables scroll sideways instead of squeezing each column to a
character per line, and the scheme tab bar scrolls instead of wrapping letter by letter."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/results/{scheme}/",
    "/schemes/{scheme}/indicators/",
    "/schemes/{scheme}/",
    "/tasks/schemes/{scheme}/?status=overdue",
    "/tasks/",
]
CHECK = """() => {
  const narrow = [];
  for (const cell of document.querySelectorAll('main table td, main table th')) {
    const text = cell.innerText.trim();
    if (text.length >= 2 && cell.getBoundingClientRect().width < 30) narrow.push(text.slice(0, 12));
  }
  const wrapped = [];
  for (const link of document.querySelectorAll('.nav-tabs .nav-link')) {
    if (link.getBoundingClientRect().height > 48) wrapped.push(link.innerText.trim());
  }
  const page = document.documentElement;
  return {narrow, wrapped, overflow: page.scrollWidth > page.clientWidth + 1};
}"""


def test_tables_and_tabs_on_a_phone(demo, browser_page, login, settings):
    from kaohe.tasks.services import tasks_generate

    settings.DEMO = True
    tasks_generate(scheme=demo)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "office")
    for path in PAGES:
        page.goto(page.base_url + path.format(scheme=demo.pk))
        found = page.evaluate(CHECK)
        assert not found["narrow"], (path, found["narrow"][:5])
        assert not found["wrapped"], (path, found["wrapped"])
        assert not found["overflow"], f"{path}: the page itself scrolls sideways"
