"""Event coding: who did what to whom, where and when, from the stored spaCy parse of each sentence.

ontology.py (PLOVER types, quad classes, modes, the CAMEO mapping), lexicon.py (the analyst-editable data
files in pipelines/core/rules/events/), actors.py (participants, pronouns and generic phrases), register.py
(sport and entertainment writing), flags.py, when.py and coder.py (the coder itself). No
module here runs spaCy: they read the Doc the NLP stage stored.
"""
