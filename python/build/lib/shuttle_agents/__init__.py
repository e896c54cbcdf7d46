"""Agents for Shuttle's line-delimited JSON agent protocol (docs/agent-protocol.md)."""
