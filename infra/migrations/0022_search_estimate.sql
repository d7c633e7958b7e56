-- Search latency (issue 13): PostgreSQL's row estimate of a statement, for the search engine's choice of query plan in
-- one round trip. A query with from:, to: or filename: substrings walks the date index newest first when the planner
-- expects more matches than Mail:Search:CandidateCap (its LIKE estimates come from the column's statistics and are
-- good for dense matches), and otherwise reads the matches through the trigram index first (README: Search).
CREATE FUNCTION search_estimate(statement text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || statement INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END
$$;
