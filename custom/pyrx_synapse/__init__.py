"""PYRX Synapse Python SDK."""
