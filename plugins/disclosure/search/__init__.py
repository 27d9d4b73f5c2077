"""Site search: an index of the written pages, read by theme/static/js/search.js.

Built from the HTML the build wrote (each page's <main>), so it holds exactly
what a resident can read, masked numbers masked; nothing here knows a record.
"""
