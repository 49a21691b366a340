UPDATE tgt FROM db.target tgt, db.src s SET amount = s.amount WHERE tgt.id = s.id;
