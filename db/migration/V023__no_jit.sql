-- PostgreSQL's JIT compiler costs 100-500 ms per query and only pays off for long analytic
-- queries; segment counts with OR-ed activity filters have high planner costs and would trigger
-- it on every count. Convoca's queries are short: turn it off for this database.
do $$
begin
    execute format('alter database %I set jit = off', current_database());
exception when insufficient_privilege then
    raise notice 'jit left as configured: %', sqlerrm;
end
$$;
