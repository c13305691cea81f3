-- The stored entities (without updated_at), to write only what the linking changed.
SELECT entity_id, name, type, aliases, country_code, geonames_id, lat, lon, geo_status, canonical_key
FROM entities;
