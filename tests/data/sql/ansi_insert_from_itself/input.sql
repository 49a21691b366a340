-- a table appended to from itself, and an update that reads the table it writes
INSERT INTO events SELECT * FROM events WHERE day = current_date - 1;
UPDATE events SET processed = 1 WHERE day < current_date;
