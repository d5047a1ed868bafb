ALTER TABLE "payments" ADD COLUMN "flag" text;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_flag" CHECK ("payments"."flag" in ('AMOUNT_MISMATCH', 'CURRENCY_MISMATCH'));--> statement-breakpoint
-- The database's own guard against refunding more than was paid: the refunds of a payment that are not
-- FAILED (pending ones included: they are money on its way back) never add up to more than its amount.
-- The payment row lock serialises two transactions refunding the same payment: the second waits here,
-- and its next statement (a fresh snapshot under READ COMMITTED) counts the first one's refund.
CREATE FUNCTION "refunds_within_payment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  paid integer;
  asked bigint;
BEGIN
  SELECT "amount" INTO paid FROM "payments" WHERE "id" = NEW."payment_id" FOR UPDATE;
  SELECT coalesce(sum("amount"), 0) INTO asked FROM "refunds"
    WHERE "payment_id" = NEW."payment_id" AND "status" <> 'FAILED';
  IF asked > paid THEN
    RAISE EXCEPTION 'refunds of payment % would add up to % but % was paid', NEW."payment_id", asked, paid
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_within_payment', TABLE = 'refunds';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "refunds_within_payment_insert" AFTER INSERT ON "refunds"
  FOR EACH ROW WHEN (NEW."status" <> 'FAILED') EXECUTE FUNCTION "refunds_within_payment"();
--> statement-breakpoint
-- Only an update that can raise the total needs the check; PENDING → SUCCEEDED/FAILED cannot.
CREATE TRIGGER "refunds_within_payment_update" AFTER UPDATE OF "amount", "status", "payment_id" ON "refunds"
  FOR EACH ROW WHEN (NEW."status" <> 'FAILED' AND (OLD."status" = 'FAILED' OR NEW."amount" > OLD."amount"
    OR NEW."payment_id" <> OLD."payment_id")) EXECUTE FUNCTION "refunds_within_payment"();
