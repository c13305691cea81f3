-- Who is named in the same sentences as Erdoğan most often (co-occurrence).
SELECT other_entity, other_entity_type, sentences, reports
FROM entity_cooccurrence
WHERE entity = 'Recep Tayyip Erdoğan' AND sentences > 0
ORDER BY sentences DESC, reports DESC, other_entity;
