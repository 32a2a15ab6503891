# Workshops and open space arrive with the workshops issue.
