"""Matchmaking: pair learners with surgeon slots, provably optimally, and say why.

Pure Python over plain dataclasses; nothing here imports Django models. The
integrator turns models into an `Instance` (see docs/matchmaking.md), calls
`solve`, and shows the explanations from `fit`.
"""
