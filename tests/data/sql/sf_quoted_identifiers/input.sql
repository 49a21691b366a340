INSERT INTO "DB"."PUBLIC"."Orders" SELECT "ID", amount FROM db.public.src;
