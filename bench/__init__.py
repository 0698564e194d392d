"""Large-district seed (manage.py seed_large) and the HTTP benchmark (bench/run.py)."""
