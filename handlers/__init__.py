"""What the bot does for each role (residents, handlers, admins), framework-free.

Use cases are plain async functions that take a `Context` (the `Chat` port, units of work, the
clock, the community) and commit explicitly; `dispatch.handle` is the one entry point.
"""
