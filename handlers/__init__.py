"""What the bot does for each role (residents, handlers, admins), framework-free.

Empty until the intake issue: use cases will live here as plain async functions that take a
unit of work and a `Chat` port, and commit explicitly.
"""
