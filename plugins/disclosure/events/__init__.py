"""Cultural events: model, times and recurrence, loading, views, pages, calendars, feed."""
