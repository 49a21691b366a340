CREATE TABLE trips AS SELECT * FROM read_csv_auto('data/trips.csv');
INSERT INTO summary SELECT vendor, count(*) AS n FROM trips GROUP BY ALL;
