"""The board notice (公示栏): each committee's essentials as a one-page A4 PDF.

Built with the site from the same committee views the pages use, so the
same masking holds (a view holds only a number's masked form), with a QR
code that leads to the committee's page on the published site. One file
per job: `qr` draws the code, `fetcher` keeps WeasyPrint from fetching
anything but the theme's own files, `render` fits a notice on one page,
`generator` is the Pelican glue.
"""
