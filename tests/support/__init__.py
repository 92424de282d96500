"""Helpers shared by tests: real-program harnesses (Jekyll) and IR builders."""
