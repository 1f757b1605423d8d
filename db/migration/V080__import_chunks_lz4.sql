-- Uploaded files are stored in 1 MB bytea chunks. PostgreSQL's default TOAST compression (pglz)
-- spent about 1.25 s of server CPU on a 92 MB CSV (1,000,000 rows), as long as `psql \copy` of the
-- whole file; lz4 takes 0.25 s and stores 27 MB where pglz stored 24 MB (bench/people/README.md).
-- lz4 is a build option: where the server lacks it (some embedded builds), chunks stay pglz.
do $$
begin
    alter table import_chunks alter column data set compression lz4;
exception when feature_not_supported then
    raise notice 'lz4 unavailable (%): import files stay pglz-compressed', sqlerrm;
end
$$;
