-- pgbench script: one single-row insert per transaction into a table indexed like signatures.
insert into bench_signatures (petition_id, person_id, status, comments, ip_hash, confirmed_at)
values (1, nextval('bench_person_seq'), 'confirmed', '', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', now());
