"""Small values every kind reuses: phone numbers, time slots, buildings, dates, markup."""
