-- Group commit within a mailbox (issue 16): several deliveries to one mailbox share one transaction. Each
-- mailbox_deliver call carries the counters as of its own delivery, so a duplicate among them (which files nothing
-- and returns false) would leave the later ones' counters wrong: mailbox_require turns that false into an error, the
-- whole transaction rolls back, and the grain files the deliveries one by one instead.
CREATE FUNCTION mailbox_require(p_fresh boolean) RETURNS boolean AS $$
BEGIN
    IF NOT p_fresh THEN
        RAISE EXCEPTION 'a delivery in this batch was filed before' USING ERRCODE = 'ML002';
    END IF;
    RETURN true;
END
$$ LANGUAGE plpgsql;
