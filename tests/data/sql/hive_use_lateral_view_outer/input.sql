USE warehouse;
CREATE TABLE flat AS SELECT u.id, p.phone FROM users u LATERAL VIEW OUTER explode(u.phones) p AS phone;
SELECT * FROM warehouse.flat;
