"""Publishing: the gate a finished build must pass, and the deploy to hosting.

Nothing here is imported while pages are built; it works on the output folder.
"""
