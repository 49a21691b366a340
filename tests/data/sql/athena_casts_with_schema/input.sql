INSERT INTO db.t (id, amount_usd)
SELECT CAST(id AS varchar), CAST(amount AS decimal(10,2)) * rate
FROM db.s JOIN db.fx ON db.s.cur = db.fx.cur;
