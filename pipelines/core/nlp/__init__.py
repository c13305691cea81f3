"""NLP: one spaCy pass per article (model.py, parse.py); entities and events build on the stored parse."""
