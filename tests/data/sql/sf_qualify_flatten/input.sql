CREATE TABLE latest AS
SELECT e.id, f.value:name::string AS tag_name
FROM events e, LATERAL FLATTEN(input => e.tags) f
QUALIFY ROW_NUMBER() OVER (PARTITION BY e.id ORDER BY e.ts DESC) = 1;
