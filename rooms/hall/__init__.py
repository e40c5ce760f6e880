"""The hall: the forum's own log (agenda and "now", links, plenary, who is in which room).

A hall is a kind of log like a hackathon room (``rooms.kind``), composed of its own slices
and passing the same gate; its step is the agenda's current session.
"""
