"""Repositories: each reads and writes one part of the model and never commits."""
