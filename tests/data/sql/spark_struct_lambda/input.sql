CREATE TABLE out USING delta AS SELECT id, filter(tags, t -> t != '') AS clean_tags, named_struct('a', a, 'b', b) AS s FROM src;
