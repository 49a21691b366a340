{# Snowflake: QUALIFY keeps the latest row per customer. #}
CREATE OR REPLACE TABLE {{ params.target }} AS
SELECT id, name
FROM raw.customers
QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) = 1;
