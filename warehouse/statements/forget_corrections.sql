-- The reported status of every entry of one section of the corrections file, before writing it anew.
DELETE FROM corrections WHERE section = $section;
