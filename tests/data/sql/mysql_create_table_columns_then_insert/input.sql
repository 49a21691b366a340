CREATE TABLE reporting.daily_signups (
  signup_date DATE NOT NULL,
  country CHAR(2) NOT NULL,
  signups INT UNSIGNED DEFAULT 0,
  PRIMARY KEY (signup_date, country)
) ENGINE=InnoDB;
-- no column list: the values go to the declared columns by position
INSERT INTO reporting.daily_signups
SELECT DATE(created_at), country_code, COUNT(*) FROM app.users GROUP BY DATE(created_at), country_code;
CREATE TABLE reporting.signups_copy AS SELECT * FROM reporting.daily_signups;
