"""Talking to web servers: one HTTP client for feeds, pages and robots.txt, with the safety and
politeness rules in one place (addresses.py, body.py, hosts.py, robots.py, client.py)."""
