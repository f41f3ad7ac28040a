"""The running process: CLI, settings, composition root and (soon) the Telegram transports."""
