-- Forget the event overlay before writing it anew from the corrections file and the current events.
DELETE FROM event_corrections;
