"""The work plan: model, loading, progress, views, pages."""
