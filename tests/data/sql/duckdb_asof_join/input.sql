CREATE TABLE m AS SELECT t.ts, t.sym, q.price FROM trades t ASOF JOIN quotes q ON t.sym = q.sym AND t.ts >= q.ts;
