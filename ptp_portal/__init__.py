"""The PTP portal project: settings, URL configuration and server entry points."""
