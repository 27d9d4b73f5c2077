"""Residents' committees (and the subdistrict above them): model, loading, views."""
