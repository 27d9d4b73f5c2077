"""Entry points that are not Pelican: validate, build, serve, publish, deploy."""
