"""Evaluation against labelled pages, its statistics, and the fitting scripts."""
