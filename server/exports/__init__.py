"""Results and exports of a forum: one plain model, rendered as JSON, CSV, Markdown, the brief.

``sources`` loads what a forum is (its hall, its rooms, its people's records), ``collect``
turns it into the model for an audience (the organizer, or one participant), and each renderer
(``json_export``, ``csv_export``, ``markdown``, ``brief``, ``pdf``) makes one format of it.
``routes`` serves them over HTTP and ``cli`` writes them from the SQLite file.
See docs/exports.md.
"""
