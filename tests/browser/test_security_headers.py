"""The built sample site under the security headers the theme ships (`_headers`): no page breaks its CSP."""

import functools
import shutil
import threading
from http.server import ThreadingHTTPServer

import pytest

from conftest import QuietHandler

PAGES = ["", "2025/10/scale-ai-closes-dallas-contractor-team/", "companies/scale-ai/", "tags/data-labeling/",
         "companies/", "tags/", "tracker/", "feeds/", "about/", "search/?q=Dallas", "404.html"]
# Every violation the page reports, collected before any of its own scripts run.
WATCH = ("window.violations = []; document.addEventListener('securitypolicyviolation',"
         " e => window.violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));")


def site_headers(public) -> dict[str, str]:
    """The headers `_headers` gives every path (`/*`), as Netlify and Cloudflare Pages read that file."""
    headers, applies = {}, False
    for line in (public / "_headers").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            applies = line.strip() == "/*"
        elif applies:
            name, _, value = line.strip().partition(":")
            headers[name.strip()] = value.strip()
    return headers


@pytest.fixture(scope="module")
def headers_server(sample_site, tmp_path_factory):
    """A copy of the built site, served with its `_headers`, plus a probe page that breaks the policy."""
    public = tmp_path_factory.mktemp("csp") / "public"
    shutil.copytree(sample_site, public)
    (public / "probe.html").write_text('<!doctype html><title>probe</title><p style="color: red">x</p>'
                                       "<script>document.title = 'ran'</script>")
    headers = site_headers(public)

    class WithHeaders(QuietHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(WithHeaders, directory=str(public)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", headers
    httpd.shutdown()


@pytest.fixture
def load(browser, headers_server):
    base, _ = headers_server
    context = browser.new_context()
    context.add_init_script(WATCH)

    def load_(path):
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.goto(base + path, wait_until="networkidle")
        return page

    yield load_
    context.close()


def test_headers_file_sets_the_policy_and_the_other_security_headers(headers_server):
    _, headers = headers_server
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "style-src 'self';" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_page_breaks_no_rule_of_the_content_security_policy(load, path):
    page = load(path)
    if path.startswith("search/"):
        page.wait_for_selector(".search-results li", timeout=10000)  # Pagefind's WebAssembly ran
    assert page.evaluate("() => window.violations") == []
    assert page.console_errors == []


def test_a_page_with_inline_style_and_script_is_caught(load):
    """The harness itself: without this, an empty violation list could mean the policy was never applied."""
    page = load("probe.html")
    assert page.title() == "probe"
    assert sorted(v.split()[0] for v in page.evaluate("() => window.violations")) == ["script-src-elem",
                                                                                       "style-src-attr"]
