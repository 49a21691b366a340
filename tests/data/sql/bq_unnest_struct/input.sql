CREATE TABLE ds.flat AS
SELECT t.id, item AS sku, t.meta.source AS src
FROM ds.raw t, UNNEST(t.items) AS item;
