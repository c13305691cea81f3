"""Stories: articles reporting the same real-world happening, clustered online as articles arrive.

features.py turns an article into weighted terms and entity keys; clustering.py assigns each new article
to the best matching active story or opens a new one. No Dagster, no SQL: the stories stage loads the
active stories and stores what changed.
"""
