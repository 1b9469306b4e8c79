"""Anonymous pages served from the cache, never stale.

middleware.py serves and stores whole pages for visitors who carry no session; the key holds
the library version read afresh from the database for every request, so a page is found
only while nothing it shows has changed. invalidation.py moves that version in the
transaction of every change an anonymous page could show.
"""
