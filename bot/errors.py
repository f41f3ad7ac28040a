"""Start-up errors that people read: what is wrong, where, and how to fix it."""

EXIT_CONFIG = 2  # a setting or the community file is wrong: fix it and start again
EXIT_UNAVAILABLE = 1  # something we depend on (the database) could not be reached


class StartupError(Exception):
    """A problem that stops the bot before it starts; printed as one paragraph, no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_CONFIG) -> None:
        super().__init__(message)
        self.exit_code = exit_code
