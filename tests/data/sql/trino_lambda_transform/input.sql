CREATE TABLE memory.default.out AS
SELECT id, transform(items, x -> x.price * qty) AS prices FROM memory.default.orders;
