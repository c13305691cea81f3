-- What the entries of one section of the corrections file did on the last run (to write only a change).
SELECT correction_id, position, action, status, matched, detail FROM corrections WHERE section = $section;
