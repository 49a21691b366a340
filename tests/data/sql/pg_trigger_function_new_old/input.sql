CREATE OR REPLACE FUNCTION audit.log_price_change() RETURNS trigger AS $$
BEGIN
  IF NEW.price IS DISTINCT FROM OLD.price THEN
    INSERT INTO audit.price_changes (product_id, old_price, new_price, changed_at)
    VALUES (NEW.id, OLD.price, NEW.price, now());
    UPDATE shop.product_stats s SET changes = s.changes + 1
    WHERE s.product_id = NEW.id AND EXISTS (SELECT 1 FROM shop.tracked t WHERE t.product_id = NEW.id);
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_price AFTER UPDATE ON shop.products
FOR EACH ROW EXECUTE FUNCTION audit.log_price_change();
