-- TRUNCATE fires no row trigger: the ledger refuses it as well, whoever asks. (The service's own role is given row
-- access only, by the repeatable R__service_role_grants.sql.)
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
