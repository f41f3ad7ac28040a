"""The handlers' side: team set-up, ticket cards and their buttons, talking to the resident."""
