COPY INTO raw.events FROM @landing/events/ FILE_FORMAT = (TYPE = JSON);
COPY INTO @export/daily/ FROM (SELECT * FROM mart.daily);
