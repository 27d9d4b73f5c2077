"""Open data: the records the pages show, as JSON and CSV files with JSON Schemas,
a DCAT catalogue (data.json) and a 数据下载 page that explains them.

Every file is made from the same views the pages use, so a number the pages
mask is never in a data file: it is left out (null) and `phone_withheld`
says a number exists. Dates are the records' own, never the build's, so an
unchanged site writes unchanged files.
"""
