"""Deployments: the environments a broker knows and which versions are deployed or released there.

Environments are named places (``environments``); a deployed or released version is one record
of a version in an environment, current until ended (``deployments``); the environments pages
read what runs where, now and before (``environment_overview``).
"""
