"""Prefect flows and the newsetl command line."""
