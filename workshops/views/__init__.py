"""Workshop pages, split by who uses them: organisers, attendees, facilitators."""
