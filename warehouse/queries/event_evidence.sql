-- Each troop or police deployment (MOBILIZE) with the words of the article that show it.
SELECT e.actor, e.mode, e.location, e.day, a.title,
       substring(a.text, e.start_char + 1, e.end_char - e.start_char) AS evidence
FROM countable_events AS e
JOIN articles AS a USING (article_id)
WHERE e.event_type = 'MOBILIZE'
ORDER BY e.day DESC, a.title, e.start_char;
