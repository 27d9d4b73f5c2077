"""`invoke serve`: a local preview that rebuilds when records change."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican.settings import read_settings

from ..core import collector
from ..site_files import NOT_FOUND
from . import commands, staging


def serve_and_rebuild(
    root: Path, settings_file: Path, *, port: int, stop: threading.Event | None = None
) -> None:
    """Build, serve the site on 127.0.0.1:`port`, and build again after every
    change under content/, theme/ or plugins/, until Ctrl+C (or `stop` is set).

    The builds after the first take every page whose inputs did not change
    from the live site (page_keys) instead of rendering it again, and are
    laid over the live site (staging.lay_over)."""
    from watchfiles import watch

    if commands.build(settings_file, keep_pages=True) == commands.INTERRUPTED:
        staging.wait_for_discards()
        return
    collector.settle()
    output = Path(read_settings(str(settings_file))["OUTPUT_PATH"]).resolve()
    output.mkdir(exist_ok=True)
    # The handler opens files by path on each request, so a build swapped
    # in or laid over is served as soon as it lands.
    handler = functools.partial(PreviewHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"预览地址：http://127.0.0.1:{port}/ （修改文件后自动重新生成，按 Ctrl+C 结束）")
    try:
        for _changes in watch(root / "content", root / "theme", root / "plugins", stop_event=stop):
            if commands.build(settings_file, keep_pages=True) == commands.INTERRUPTED:
                break  # Ctrl+C during a build stops serve as it would between builds
            # the site is live: collect while staff look at it, not in the next build
            collector.settle()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        collector.unfreeze()
        staging.wait_for_discards()


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the built site as the real host does: quietly, and with the
    site's own 404 page for an address that has no page."""

    def log_message(self, format, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / NOT_FOUND
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
