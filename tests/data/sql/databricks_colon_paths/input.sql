CREATE OR REPLACE TABLE silver.events AS SELECT raw:id::string AS id, raw:payload.user AS user FROM bronze.events;
