INSERT INTO codes SELECT v.code, t.label FROM (VALUES (1), (2)) AS v(code) JOIN labels t ON t.code = v.code;
