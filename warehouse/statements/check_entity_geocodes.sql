-- Entities whose coordinates contradict their geo_status: a geocoded place without a point, a point
-- without a geocode, a place without a status or a status on something that is not a place.
SELECT count(*)
FROM entities
WHERE coalesce(geo_status IN ('gazetteer', 'override'), false) <> (lat IS NOT NULL AND lon IS NOT NULL)
   OR (type = 'PLACE') <> (geo_status IS NOT NULL);
