"""Pure Python core: entities, geo math, ranking, fairness, message check, slots.

Nothing here imports the rest of the project, Qt or SQLAlchemy.
"""
