-- TRUNCATE fires no row trigger: the ledger refuses it as well, whoever asks.
create function transfer_is_not_truncated() returns trigger
    language plpgsql as
$$
begin
    raise exception 'the transfer ledger is append-only: TRUNCATE refused';
end;
$$;

create trigger transfer_not_truncated
    before truncate on transfer
    for each statement execute function transfer_is_not_truncated();

-- The role the service runs as (the datasource's user; Flyway may migrate as the schema's owner) gets what the
-- service does to rows and nothing else: no DDL, no TRUNCATE, no UPDATE or DELETE on the ledger. Row locks need
-- UPDATE, so accounts have it. Every later migration that adds a table grants its rows the same way.
grant select, insert, update on account to "${service_role}";
grant select, insert on transfer to "${service_role}";
grant select, insert, delete on idempotency_key to "${service_role}";
grant usage on sequence transfer_id_seq to "${service_role}";
