COPY INTO bronze.events FROM 's3://bucket/events/' FILEFORMAT = JSON;
